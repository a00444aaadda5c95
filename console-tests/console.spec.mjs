// Signs in to the Ringfence console in headless Chromium and uses it as a person would.
// Usage: node console.spec.mjs <service base URL> <folder for screenshots>
// The browser: CHROMIUM=<path>, else the system's, else the one from @sparticuz/chromium (see browser.mjs);
// RINGFENCE_BROWSER=npm skips the system's.
import { chromium } from 'playwright-core';
import { findChromium } from './browser.mjs';

const [base, out] = process.argv.slice(2);
const docsRegion = 'c7568e2d-f9ab-453d-9a3a-51375f78426b';
const project = 'f113be96-4dd2-4c14-9c0e-e96c500f21e0';

function check(condition, message) {
  if (!condition) {
    throw new Error('check failed: ' + message);
  }
}

const { executablePath, env, source } = await findChromium();
// Not @sparticuz/chromium's chromium.args: they are for AWS Lambda and turn off web security, site isolation and
// mixed-content blocking (the console would be tested under rules no person's browser has) and run everything in
// one process.
const browser = await chromium.launch({
  executablePath,
  env,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
console.log(`browser: Chromium ${browser.version()} (${source}: ${executablePath})`);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60000);
  page.on('dialog', (dialog) => dialog.accept());

  // sign in: the console sends the person to the login page and back with an authorization code (PKCE)
  await page.goto(base + '/console');
  await page.click('#signin-button');
  await page.waitForURL(/\/login/);
  await page.fill('input[name=username]', 'alice');
  await page.fill('input[name=password]', 'alice-password');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console#\/reservations/);
  check((await page.textContent('#who')).includes('alice'), 'signed in as alice');

  // create a reservation and watch it reach provisioned
  await page.fill('#create-name', 'console-demo');
  await page.fill('#create-project', project);
  await page.selectOption('#create-region', { value: docsRegion + '|GB300|NVL72' });
  await page.fill('#create-count', '2');
  await page.click('#create-form button[type=submit]');
  await page.waitForSelector('#create-result:has-text("Reserved")');
  await page.waitForSelector('#reservation-table tr:has-text("console-demo") .badge.provisioned');
  await page.screenshot({ path: out + '/console-reservations.png', fullPage: true });

  // a 507 is explained in plain words
  await page.fill('#create-name', 'too-big');
  await page.fill('#create-count', '99');
  await page.click('#create-form button[type=submit]');
  await page.waitForSelector('#create-result:has-text("Not enough contiguous capacity")');
  check((await page.textContent('#create-result')).includes('one pod'), '507 explained');

  // the detail page marks the reservation's domains on the map
  await page.click('#reservation-table a:has-text("console-demo")');
  await page.waitForSelector('#detail-map .cell.yours.selected');
  const marked = await page.$$eval('#detail-map .cell.selected', (cells) => cells.length);
  check(marked === 2, 'two domains marked, saw ' + marked);

  // a placement (made through the API with the console's own token), then reboot a server from the page
  const reservationId = decodeURIComponent((await page.evaluate(() => window.location.hash)).split('/').pop());
  const status = await page.evaluate(async ([id]) => {
    const response = await fetch('/api/v2/placements', {
      method: 'POST',
      headers: { 'Authorization': 'Bearer ' + sessionStorage.getItem('rf.token'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'console-workers' }, spec: { reservationId: id,
        networkId: '61f0ad85-3001-41cb-824a-e6a047668dfe', serverSpec: { imageId: 'ubuntu-24.04' }, count: 4,
        constraints: { policy: 'spread' } } }) });
    return response.status;
  }, [reservationId]);
  check(status === 202, 'placement accepted, got ' + status);
  await page.waitForSelector('#detail-placements .badge.Running');
  await page.click('#detail-placements button[data-action=reboot]');
  await page.waitForSelector('#detail-result:has-text("Reboot of")');
  check((await page.textContent('#detail-result')).includes('accepted'), 'reboot accepted');
  await page.screenshot({ path: out + '/console-detail.png', fullPage: true });

  // the capacity map
  await page.goto(base + '/console#/capacity');
  await page.waitForSelector('#map .cell.yours');
  const free = await page.$$eval('#map .cell.free', (cells) => cells.length);
  check(free > 0, 'free domains shown');
  await page.screenshot({ path: out + '/console-capacity.png', fullPage: true });

  // the calendar: each pod's free units over time and the person's bookings; a window that is full gets the
  // earliest one that fits proposed, with a button to book it (us-demo-1: 2 pods of 6 units, no other test uses it)
  const usRegion = '0f5a3c9e-6b1d-4e27-9a84-2d7c5e1b3f60';
  await page.goto(base + '/console#/calendar');
  await page.waitForSelector('#calendar-type option', { state: 'attached' });
  await page.selectOption('#calendar-type', { value: usRegion + '|GB300|NVL72' });
  await page.click('#calendar-form button[type=submit]');
  await page.waitForSelector('#calendar-chart .pod-row[data-pod] .free-step');
  const pods = await page.$$eval('#calendar-chart .pod-row', (rows) => rows.length);
  check(pods === 2, 'two pods in the calendar, saw ' + pods);
  const start = new Date(Math.ceil(Date.now() / 3600000) * 3600000 + 3 * 86400000).toISOString().replace('.000Z', 'Z');
  await page.fill('#book-name', 'console-later');
  await page.fill('#book-project', project);
  await page.fill('#book-count', '6');
  await page.fill('#book-start', start);
  await page.fill('#book-duration', '24h');
  // whole pods for that day until none is left: then the console proposes another window
  for (let i = 0; i < 3 && !(await page.isVisible('#book-proposal')); i++) {
    await page.click('#book-form button[type=submit]');
    await page.waitForFunction(() => !document.getElementById('book-result').textContent.startsWith('Booking'));
  }
  check(await page.isVisible('#book-proposal-button'), 'a proposal after a 507: ' + await page.textContent('#book-result'));
  const proposedStart = (await page.textContent('#book-proposal-text')).match(/from (\S+) until/)[1];
  check(Date.parse(proposedStart) >= Date.parse(start) + 86400000, 'proposed after the full day, got ' + proposedStart);
  await page.waitForSelector('#calendar-chart .proposal');
  check(await page.$$eval('#calendar-chart .booking.mine', (bars) => bars.length) === 2, 'both pods booked');
  await page.screenshot({ path: out + '/console-calendar.png', fullPage: true });
  await page.click('#book-proposal-button');
  await page.waitForSelector('#book-result:has-text("Booked")');
  check((await page.textContent('#book-result')).includes(proposedStart), 'the proposed window booked');
  await page.waitForFunction(() => document.querySelectorAll('#calendar-chart .booking.mine').length === 3);
  // leave nothing booked for the service's other tests
  await page.evaluate(async () => {
    const headers = { 'Authorization': 'Bearer ' + sessionStorage.getItem('rf.token') };
    const all = await (await fetch('/api/v2/reservations', { headers })).json();
    await Promise.all(all.filter((r) => r.metadata.name === 'console-later')
      .map((r) => fetch('/api/v2/reservations/' + r.metadata.id, { method: 'DELETE', headers })));
  });

  // delete, with confirmation
  await page.goto(base + '/console#/reservations/' + encodeURIComponent(reservationId));
  await page.waitForSelector('#delete-button');
  await page.click('#delete-button');
  await page.waitForURL(/#\/reservations$/);
  console.log('console test passed');
} finally {
  await browser.close();
}
