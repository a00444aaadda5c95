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

  // delete, with confirmation
  await page.goto(base + '/console#/reservations/' + encodeURIComponent(reservationId));
  await page.waitForSelector('#delete-button');
  await page.click('#delete-button');
  await page.waitForURL(/#\/reservations$/);
  console.log('console test passed');
} finally {
  await browser.close();
}
