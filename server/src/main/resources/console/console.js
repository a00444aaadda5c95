// Ringfence console: sign in with authorization code + PKCE, then the Reservation API. No framework, no build.
(function () {
  'use strict';
  const origin = window.location.origin;
  const redirectUri = origin + '/console/callback';
  const demoOrg = '161b9d5a-701d-4fea-848d-0e345edf16e9';
  const $ = (id) => document.getElementById(id);
  let refreshTimer = null;

  function b64url(bytes) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  async function startLogin() {
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
    sessionStorage.setItem('rf.verifier', verifier);
    sessionStorage.setItem('rf.state', state);
    const query = new URLSearchParams({
      response_type: 'code', client_id: 'ringfence-console', redirect_uri: redirectUri,
      scope: 'openid profile', state: state, code_challenge: challenge, code_challenge_method: 'S256'
    });
    window.location.assign('/oauth2/v2/authorization?' + query.toString());
  }

  async function finishLogin() {
    const params = new URLSearchParams(window.location.search);
    if (!params.get('code') || params.get('state') !== sessionStorage.getItem('rf.state')) {
      return false;
    }
    const response = await fetch('/oauth2/v2/token', {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: 'ringfence-console', code: params.get('code'),
        redirect_uri: redirectUri, code_verifier: sessionStorage.getItem('rf.verifier')
      })
    });
    if (!response.ok) {
      return false;
    }
    const token = await response.json();
    sessionStorage.setItem('rf.token', token.access_token);
    window.history.replaceState(null, '', '/console#/reservations');
    return true;
  }

  function token() {
    return sessionStorage.getItem('rf.token');
  }

  function subject() {
    try {
      return JSON.parse(atob(token().split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub;
    } catch (e) {
      return null;
    }
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method: method,
      headers: Object.assign({'Authorization': 'Bearer ' + token(), 'Accept': 'application/json'},
        body ? {'Content-Type': 'application/json'} : {}),
      body: body ? JSON.stringify(body) : undefined
    });
    if (response.status === 401) {
      sessionStorage.removeItem('rf.token');
      show('signin');
      throw {status: 401, description: 'Your sign-in has expired; sign in again.'};
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw {status: response.status, description: json && json.error_description ? json.error_description : response.statusText};
    }
    return json;
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key === 'text') { node.textContent = value; } else { node.setAttribute(key, value); }
    });
    (children || []).forEach((child) => node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child));
    return node;
  }

  function badge(value) {
    return el('span', {class: 'badge ' + value, text: value});
  }

  function organization() {
    return localStorage.getItem('rf.org') || demoOrg;
  }

  function show(section) {
    ['signin', 'capacity', 'reservations', 'calendar', 'detail'].forEach((id) => { $(id).hidden = id !== section; });
  }

  // Capacity map: pods as rows, NVLink domains as cells; colour and letter both say the state.
  async function drawMap(target, regionFilter, highlight) {
    const [topology, catalog] = await Promise.all([
      api('GET', '/api/v2/organizations/' + encodeURIComponent(organization()) + '/topology'
        + (regionFilter ? '?regionID=' + encodeURIComponent(regionFilter) : '')),
      api('GET', '/api/v2/reservation-units')
    ]);
    let operatorHosts = null;
    try {
      operatorHosts = await api('GET', '/api/v2/operator/hosts' + (regionFilter ? '?regionID=' + encodeURIComponent(regionFilter) : ''));
    } catch (notOperator) { /* customers do not see host health of free units */ }
    const hostState = {};
    (operatorHosts || []).forEach((h) => { hostState[h.domainId] = hostState[h.domainId] || {unhealthy: false, draining: h.draining};
      if (!h.healthy) { hostState[h.domainId].unhealthy = true; } });
    target.replaceChildren();
    topology.forEach((region) => region.projections.forEach((projection) => {
      const unit = projection.reservationUnit;
      const figures = catalog.find((u) => u.regionId === region.regionId && u.accelerator === unit.accelerator && u.unit === unit.unit);
      const box = el('div', {class: 'projection'}, [el('h4', {text: region.regionId + ' · ' + unit.accelerator + '/' + unit.unit
        + (figures ? ' — ' + figures.availableUnitCount + ' of ' + figures.totalCount + ' units free, largest contiguous '
          + figures.largestContiguousUnitCount : '')})]);
      projection.topology.forEach((pod) => {
        const row = el('div', {class: 'pod', role: 'list', 'aria-label': 'pod ' + (pod.name || pod.id)},
          [el('span', {class: 'pod-name', text: pod.name || pod.id})]);
        pod.domains.forEach((domain) => {
          const mine = domain.hosts.find((h) => h.reservationRef);
          const taken = domain.hosts.some((h) => h.reserved);
          const health = hostState[domain.id] || {};
          let state = mine ? 'yours' : taken ? 'taken' : 'free';
          if (health.unhealthy) { state = 'unhealthy'; } else if (health.draining && !mine) { state = 'draining'; }
          const letter = {free: 'F', yours: 'Y', taken: 'T', unhealthy: '!', draining: 'D'}[state];
          const label = (domain.name || domain.id) + ': ' + state + (mine ? ' (reservation ' + mine.reservationRef + ')' : '');
          const cell = el('span', {class: 'cell ' + state + (highlight && mine && mine.reservationRef === highlight ? ' selected' : ''),
            role: 'listitem', title: label, 'aria-label': label, 'data-state': state, 'data-domain': domain.id, text: letter});
          row.appendChild(cell);
        });
        box.appendChild(row);
      });
      target.appendChild(box);
    }));
  }

  async function capacity() {
    show('capacity');
    $('org').value = organization();
    await drawMap($('map'));
  }

  async function reservations() {
    show('reservations');
    const [list, catalog] = await Promise.all([api('GET', '/api/v2/reservations'), api('GET', '/api/v2/reservation-units')]);
    const body = $('reservation-table').querySelector('tbody');
    body.replaceChildren();
    list.forEach((r) => body.appendChild(el('tr', {'data-id': r.metadata.id}, [
      el('td', {}, [el('a', {href: '#/reservations/' + r.metadata.id, text: r.metadata.name})]),
      el('td', {text: r.spec.regionId}),
      el('td', {text: String(r.status.claimedUnitCount)}),
      el('td', {}, [badge(r.metadata.provisioningStatus)]),
      el('td', {}, [badge(r.metadata.healthStatus)])
    ])));
    const select = $('create-region');
    if (!select.options.length) {
      catalog.forEach((u) => select.appendChild(el('option', {value: [u.regionId, u.accelerator, u.unit].join('|'),
        text: u.regionId + ' ' + u.accelerator + '/' + u.unit + ' (' + u.availableUnitCount + ' free, largest contiguous '
          + u.largestContiguousUnitCount + ')'})));
    }
  }

  async function create(event) {
    event.preventDefault();
    const [regionId, accelerator, unit] = $('create-region').value.split('|');
    const count = parseInt($('create-count').value, 10);
    const result = $('create-result');
    try {
      const created = await api('POST', '/api/v2/reservations', {
        metadata: {name: $('create-name').value},
        spec: {organizationId: organization(), projectId: $('create-project').value, regionId: regionId,
          accelerator: accelerator, unit: unit, count: count}
      });
      result.className = '';
      result.textContent = 'Reserved: ' + created.metadata.name + ' is ' + created.metadata.provisioningStatus + '.';
      await reservations();
    } catch (error) {
      result.className = 'error';
      if (error.status === 507) {
        const units = await api('GET', '/api/v2/reservation-units?regionID=' + encodeURIComponent(regionId));
        const largest = units.length ? units[0].largestContiguousUnitCount : 0;
        result.textContent = 'Not enough contiguous capacity. You asked for ' + count + ' units, but a reservation\'s '
          + 'units must all sit in one pod, and the most free units in any single pod of ' + regionId + ' is '
          + largest + '. Ask for ' + largest + ' or fewer, or try another region.';
      } else {
        result.textContent = 'Could not reserve: ' + error.description;
      }
    }
  }

  // Calendar: per pod, the free-unit step function over time and the bookings the caller may read, as SVG.
  const svgNs = 'http://www.w3.org/2000/svg';
  const calendarState = {type: null, days: 14, operator: null, proposal: null};

  function svg(tag, attributes, children) {
    const node = document.createElementNS(svgNs, tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key === 'text') { node.textContent = value; } else { node.setAttribute(key, String(value)); }
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function titled(node, text) {
    node.appendChild(svg('title', {text: text}));
    return node;
  }

  function utc(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  // 48h, 90m, 7d, or ISO 8601 (PT48H, P7D, P1DT12H): milliseconds, or NaN.
  function parseDuration(text) {
    const value = (text || '').trim();
    let m = /^(\d+)\s*(m|h|d)$/i.exec(value);
    if (m) {
      return parseInt(m[1], 10) * {m: 60000, h: 3600000, d: 86400000}[m[2].toLowerCase()];
    }
    m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(value);
    if (m && value.length > 1 && !/T$/i.test(value)) {
      return (((parseInt(m[1] || 0, 10) * 24 + parseInt(m[2] || 0, 10)) * 60 + parseInt(m[3] || 0, 10)) * 60
        + parseInt(m[4] || 0, 10)) * 1000;
    }
    return NaN;
  }

  function isoDuration(ms) {
    const seconds = Math.round(ms / 1000);
    return seconds % 3600 === 0 ? 'PT' + (seconds / 3600) + 'H' : 'PT' + seconds + 'S';
  }

  async function isOperator(regionId) {
    if (calendarState.operator === null) {
      try {
        await api('GET', '/api/v2/operator/hosts?regionID=' + encodeURIComponent(regionId));
        calendarState.operator = true;
      } catch (notOperator) {
        calendarState.operator = false;
      }
    }
    return calendarState.operator;
  }

  async function calendar() {
    show('calendar');
    const select = $('calendar-type');
    if (!select.options.length) {
      const catalog = await api('GET', '/api/v2/reservation-units');
      catalog.forEach((u) => select.appendChild(el('option', {value: [u.regionId, u.accelerator, u.unit].join('|'),
        text: u.regionId + ' ' + u.accelerator + '/' + u.unit})));
    }
    if (!$('book-start').value) {
      $('book-start').value = utc(Math.ceil(Date.now() / 3600000) * 3600000 + 3600000);
    }
    calendarState.type = calendarState.type || select.value;
    select.value = calendarState.type;
    $('calendar-days').value = String(calendarState.days);
    await redrawCalendar();
  }

  async function drawCalendar() {
    const [regionId, accelerator, unit] = calendarState.type.split('|');
    const from = Math.floor(Date.now() / 3600000) * 3600000;
    const until = from + calendarState.days * 86400000;
    const [view, operator] = await Promise.all([
      api('GET', '/api/v2/reservation-calendar?' + new URLSearchParams({regionID: regionId, accelerator: accelerator,
        unit: unit, from: utc(from), until: utc(until)}).toString()),
      isOperator(regionId)
    ]);
    const start = Date.parse(view.from);
    const end = Date.parse(view.until);
    const left = 170;
    const width = 1000;
    const right = width - 10;
    const x = (t) => left + (Math.min(Math.max(t, start), end) - start) / (end - start) * (right - left);
    const podHeight = 36;
    const laneHeight = 20;
    const chart = svg('svg', {role: 'img', 'aria-labelledby': 'calendar-chart-title'});
    chart.appendChild(svg('title', {id: 'calendar-chart-title', text: accelerator + '/' + unit + ' in ' + regionId
      + ' from ' + view.from + ' until ' + view.until}));
    // the time axis: a tick per day, fewer when the view is long
    const axis = svg('g', {class: 'axis'});
    const dayStep = Math.max(1, Math.ceil((end - start) / 86400000 / 14));
    for (let t = Math.ceil(start / 86400000) * 86400000; t <= end; t += dayStep * 86400000) {
      axis.appendChild(svg('line', {x1: x(t), x2: x(t), y1: 22, y2: '100%'}));
      axis.appendChild(svg('text', {x: x(t) + 2, y: 14, text: utc(t).substring(5, 10)}));
    }
    chart.appendChild(axis);
    let y = 28;
    const mine = (b) => b.organizationId === organization();
    view.pods.forEach((pod) => {
      const group = svg('g', {class: 'pod-row', 'data-pod': pod.podId});
      group.appendChild(svg('rect', {class: 'row-band', x: left, y: y, width: right - left, height: podHeight}));
      group.appendChild(svg('text', {class: 'row-label pod-label', x: 4, y: y + 15, text: 'pod ' + shortId(pod.podId)}));
      group.appendChild(svg('text', {class: 'row-label', x: 4, y: y + 29, text: pod.totalUnitCount + ' units'}));
      pod.free.forEach((step, i) => {
        const from = Date.parse(step.time);
        const to = i + 1 < pod.free.length ? Date.parse(pod.free[i + 1].time) : end;
        if (to <= start || from >= end) { return; }
        const h = pod.totalUnitCount ? step.freeUnitCount / pod.totalUnitCount * (podHeight - 4) : 0;
        group.appendChild(titled(svg('rect', {class: 'free-step', 'data-free': step.freeUnitCount,
          x: x(from), y: y + podHeight - 2 - h, width: Math.max(0, x(to) - x(from)), height: h}),
          step.freeUnitCount + ' of ' + pod.totalUnitCount + ' units free from ' + utc(Math.max(from, start))
            + (i + 1 < pod.free.length ? ' until ' + pod.free[i + 1].time : '')));
      });
      y += podHeight + 2;
      const bookings = view.bookings.filter((b) => b.podId === pod.podId);
      // operators: a row per unit that holds a booking; customers: lanes of their own bookings
      const rows = [];
      if (operator) {
        [...new Set(bookings.flatMap((b) => b.unitIds))].sort().forEach((unitId) => rows.push({
          label: 'unit ' + shortId(unitId), bookings: bookings.filter((b) => b.unitIds.includes(unitId))}));
      } else {
        bookings.slice().sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime)).forEach((b) => {
          const lane = rows.find((r) => r.end <= Date.parse(b.startTime));
          const bEnd = b.endTime ? Date.parse(b.endTime) : Infinity;
          if (lane) { lane.bookings.push(b); lane.end = bEnd; } else { rows.push({label: '', bookings: [b], end: bEnd}); }
        });
      }
      rows.forEach((row) => {
        group.appendChild(svg('text', {class: 'row-label', x: 14, y: y + 14, text: row.label}));
        row.bookings.forEach((b) => {
          const bStart = Date.parse(b.startTime);
          const bEnd = b.endTime ? Date.parse(b.endTime) : end;
          const label = (b.name || shortId(b.reservationId)) + ': ' + b.unitIds.length + ' units from ' + b.startTime
            + (b.endTime ? ' until ' + b.endTime : ', open-ended') + (mine(b) ? '' : ' (organization ' + b.organizationId + ')');
          const bar = svg('g', {class: 'booking-bar', 'data-reservation': b.reservationId});
          bar.appendChild(titled(svg('rect', {class: 'booking' + (mine(b) ? ' mine' : '') + (b.endTime ? '' : ' open'),
            x: x(bStart), y: y + 2, width: Math.max(2, x(bEnd) - x(bStart)), height: laneHeight - 4, rx: 3,
            'aria-label': label}), label));
          bar.appendChild(svg('text', {class: 'booking-label', x: x(bStart) + 4, y: y + 14,
            text: (b.name || shortId(b.reservationId)) + ' ×' + b.unitIds.length}));
          group.appendChild(bar);
        });
        y += laneHeight;
      });
      if (operator) {
        const idle = pod.totalUnitCount - rows.length;
        if (idle > 0) {
          group.appendChild(svg('text', {class: 'row-label', x: 14, y: y + 14,
            text: idle + ' unit' + (idle === 1 ? '' : 's') + ' without bookings in this view'}));
          y += laneHeight;
        }
      }
      chart.appendChild(group);
      y += 8;
    });
    const proposal = calendarState.proposal;
    if (proposal && proposal.type === calendarState.type) {
      chart.appendChild(titled(svg('rect', {class: 'proposal', x: x(Date.parse(proposal.startTime)), y: 24,
        width: Math.max(2, x(Date.parse(proposal.endTime)) - x(Date.parse(proposal.startTime))), height: y - 24}),
        'proposed: ' + proposal.count + ' units from ' + proposal.startTime + ' until ' + proposal.endTime));
    }
    if (Date.now() >= start && Date.now() <= end) {
      chart.appendChild(svg('line', {class: 'now', x1: x(Date.now()), x2: x(Date.now()), y1: 22, y2: y}));
    }
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + y);
    const holder = $('calendar-chart');
    holder.replaceChildren(chart);
    if (!view.pods.length) {
      holder.appendChild(el('p', {text: 'No pods offer this unit type.'}));
    } else if (!view.bookings.length) {
      holder.appendChild(el('p', {text: operator ? 'No bookings in this view.' : 'You have no bookings in this view.'}));
    }
  }

  function shortId(id) {
    return id && id.length > 8 ? id.substring(0, 8) : id;
  }

  // The window the booking form asks for: start (absent: now) and end (the end, else start plus the duration).
  function bookingWindow() {
    const startText = $('book-start').value.trim();
    const startsNow = !startText || startText.toLowerCase() === 'now';
    const start = startsNow ? Date.now() : Date.parse(startText);
    if (isNaN(start)) {
      throw {description: 'the start ' + startText + ' is not a time such as 2026-06-01T00:00:00Z'};
    }
    const endText = $('book-end').value.trim();
    let end;
    if (endText) {
      end = Date.parse(endText);
      if (isNaN(end)) { throw {description: 'the end ' + endText + ' is not a time such as 2026-06-02T00:00:00Z'}; }
    } else {
      const length = parseDuration($('book-duration').value);
      if (isNaN(length) || length <= 0) { throw {description: 'give an end or a duration such as 48h or P7D'}; }
      end = start + length;
    }
    return {startTime: startsNow ? null : utc(start), endTime: utc(end), start: start, end: end};
  }

  async function bookWindow(count, startTime, endTime) {
    const [regionId, accelerator, unit] = calendarState.type.split('|');
    const spec = {organizationId: organization(), projectId: $('book-project').value, regionId: regionId,
      accelerator: accelerator, unit: unit, count: count, endTime: endTime};
    if (startTime) { spec.startTime = startTime; }
    return api('POST', '/api/v2/reservations', {metadata: {name: $('book-name').value}, spec: spec});
  }

  function booked(created) {
    const result = $('book-result');
    result.className = '';
    result.textContent = 'Booked: ' + created.metadata.name + ' holds ' + created.spec.count + ' units from '
      + (created.spec.startTime || 'now') + ' until ' + created.spec.endTime + ' (' + created.metadata.provisioningStatus + ').';
  }

  async function book(event) {
    event.preventDefault();
    const result = $('book-result');
    const count = parseInt($('book-count').value, 10);
    result.className = '';
    result.textContent = 'Booking…';
    $('book-proposal').hidden = true;
    calendarState.proposal = null;
    let asked = null;
    try {
      asked = bookingWindow();
      booked(await bookWindow(count, asked.startTime, asked.endTime));
    } catch (error) {
      result.className = 'error';
      if (error.status !== 507) {
        result.textContent = 'Could not book: ' + error.description;
        return;
      }
      const refusal = 'Not free then: ' + error.description;
      try {
        await propose(count, asked);
        result.textContent = refusal;
      } catch (failed) {
        result.textContent = refusal + ' (no other window could be looked up: ' + failed.description + ')';
      }
    }
    await redrawCalendar();
  }

  async function redrawCalendar() {
    try {
      await drawCalendar();
    } catch (error) {
      $('calendar-chart').replaceChildren(el('p', {class: 'error', text: 'Could not show the calendar: '
        + (error.description || error)}));
    }
  }

  // After a 507: the earliest window of the same length where the units fit, and a button to book it.
  async function propose(count, asked) {
    const [regionId, accelerator, unit] = calendarState.type.split('|');
    const offerings = await api('GET', '/api/v2/reservation-offerings?' + new URLSearchParams({regionID: regionId,
      accelerator: accelerator, unit: unit, count: String(count), duration: isoDuration(asked.end - asked.start),
      earliestStart: utc(Math.max(asked.start, Date.now())), limit: '1'}).toString());
    const text = $('book-proposal-text');
    const button = $('book-proposal-button');
    $('book-proposal').hidden = false;
    if (!offerings.length) {
      text.textContent = 'No window of ' + count + ' contiguous units for that long fits within the booking horizon.';
      button.hidden = true;
      return;
    }
    const offer = offerings[0];
    calendarState.proposal = Object.assign({type: calendarState.type}, offer);
    text.textContent = 'The earliest window where ' + count + ' contiguous units are free for that long: from '
      + offer.startTime + ' until ' + offer.endTime + '.';
    button.hidden = false;
    button.textContent = 'Book ' + offer.startTime + ' – ' + offer.endTime;
    button.onclick = async () => {
      try {
        booked(await bookWindow(offer.count, offer.startTime, offer.endTime));
        $('book-proposal').hidden = true;
        calendarState.proposal = null;
      } catch (error) {
        $('book-result').className = 'error';
        $('book-result').textContent = 'Could not book the proposed window: ' + error.description;
      }
      await redrawCalendar();
    };
  }

  async function detail(id) {
    show('detail');
    const r = await api('GET', '/api/v2/reservations/' + encodeURIComponent(id));
    $('detail-title').textContent = 'Reservation ' + r.metadata.name;
    const facts = $('detail-facts');
    facts.replaceChildren();
    [['ID', r.metadata.id], ['Status', r.metadata.provisioningStatus], ['Health', r.metadata.healthStatusDetail
      ? r.metadata.healthStatusDetail.message : r.metadata.healthStatus], ['Region', r.spec.regionId],
     ['Units', r.status.claimedUnitCount + ' of ' + r.spec.count], ['Topology hash', r.status.topologyHash]]
      .forEach(([term, value]) => { facts.appendChild(el('dt', {text: term})); facts.appendChild(el('dd', {text: String(value)})); });
    await drawMap($('detail-map'), r.spec.regionId, r.metadata.id);
    const placements = await api('GET', '/api/v2/placements?reservationID=' + encodeURIComponent(id));
    const holder = $('detail-placements');
    holder.replaceChildren();
    if (!placements.length) {
      holder.appendChild(el('p', {text: 'No placements yet.'}));
    }
    for (const p of placements) {
      const servers = await api('GET', '/api/v2/placements/' + p.metadata.id + '/servers');
      const table = el('table', {}, [el('caption', {text: p.metadata.name + ' — ' + p.status.readyHostCount + '/'
        + servers.length + ' servers running'}), el('thead', {}, [el('tr', {}, ['Server', 'Power', 'Address', 'Actions']
        .map((h) => el('th', {scope: 'col', text: h})))])]);
      const rows = el('tbody');
      servers.forEach((s) => {
        const actions = el('td');
        [['Reboot', 'reboot'], ['Stop', 'stop']].forEach(([label, action]) => {
          const button = el('button', {type: 'button', 'data-action': action, 'data-server': s.metadata.id,
            'aria-label': label + ' ' + s.metadata.name, text: label});
          button.addEventListener('click', async () => {
            try {
              await api('POST', '/api/v2/placements/' + p.metadata.id + '/servers/' + s.metadata.id + '/' + action);
              $('detail-result').textContent = label + ' of ' + s.metadata.name + ' accepted.';
            } catch (error) {
              $('detail-result').textContent = label + ' of ' + s.metadata.name + ' refused: ' + error.description;
            }
          });
          actions.appendChild(button);
        });
        rows.appendChild(el('tr', {'data-server': s.metadata.id}, [el('td', {text: s.metadata.name}),
          el('td', {}, [badge(s.status.powerState || 'Pending')]), el('td', {text: s.status.privateIP || ''}), actions]));
      });
      table.appendChild(rows);
      holder.appendChild(table);
    }
    $('delete-button').onclick = async () => {
      if (!window.confirm('Delete reservation ' + r.metadata.name + ' and all of its placements and servers?')) {
        return;
      }
      await api('DELETE', '/api/v2/reservations/' + encodeURIComponent(id));
      $('detail-result').textContent = 'Deleting ' + r.metadata.name + '.';
      window.location.hash = '#/reservations';
    };
  }

  async function route() {
    if (refreshTimer) { clearTimeout(refreshTimer); }
    if (!token()) {
      show('signin');
      return;
    }
    $('who').textContent = 'Signed in as ' + subject();
    const hash = window.location.hash || '#/reservations';
    try {
      if (hash.startsWith('#/capacity')) {
        await capacity();
      } else if (hash.startsWith('#/calendar')) {
        await calendar();
        return; // no live refresh: it would redraw under the person's pointer and drop a proposal
      } else if (hash.startsWith('#/reservations/')) {
        await detail(decodeURIComponent(hash.substring('#/reservations/'.length)));
      } else {
        await reservations();
      }
    } catch (error) {
      $('who').textContent = 'Error: ' + (error.description || error);
    }
    refreshTimer = setTimeout(route, 3000); // live status
  }

  window.addEventListener('hashchange', route);
  $('signin-button').addEventListener('click', startLogin);
  $('create-form').addEventListener('submit', create);
  $('book-form').addEventListener('submit', book);
  $('calendar-form').addEventListener('submit', (event) => {
    event.preventDefault();
    calendarState.type = $('calendar-type').value;
    calendarState.days = parseInt($('calendar-days').value, 10);
    calendarState.proposal = null;
    $('book-proposal').hidden = true;
    redrawCalendar();
  });
  $('org-form').addEventListener('submit', (event) => {
    event.preventDefault();
    localStorage.setItem('rf.org', $('org').value.trim());
    route();
  });
  (async () => {
    if (window.location.pathname === '/console/callback') {
      await finishLogin();
    }
    route();
  })();
})();
