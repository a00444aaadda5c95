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
    ['signin', 'capacity', 'reservations', 'detail'].forEach((id) => { $(id).hidden = id !== section; });
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
