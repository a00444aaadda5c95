// Finds the Chromium the console test drives and how to start it.
//
// CHROMIUM=<path> names one; otherwise the system's (/usr/bin/chromium or `chromium` on PATH); otherwise, or with
// RINGFENCE_BROWSER=npm, the Linux x64 Chromium that ships inside the @sparticuz/chromium npm package. That one is
// unpacked once into node_modules/.chromium-<version>/ and started with the NSS libraries the package bundles, so it
// needs nothing from the system beyond glibc.
import {
  accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function systemChromium() {
  const candidates = ['/usr/bin/chromium',
    ...(process.env.PATH || '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'chromium'))];
  return candidates.find(executable);
}

async function npmChromium() {
  const modules = join(dirname(fileURLToPath(import.meta.url)), 'node_modules');
  const { version } = JSON.parse(readFileSync(join(modules, '@sparticuz', 'chromium', 'package.json'), 'utf8'));
  const dir = join(modules, '.chromium-' + version);
  if (!existsSync(join(dir, 'chromium'))) {
    const staging = mkdtempSync(dir + '-');
    const { default: chromium } = await import('@sparticuz/chromium');
    // the package unpacks into os.tmpdir(), and adds its NSS libraries (al2023.tar.br) only where it believes it
    // runs on Amazon Linux 2023: set both for the call, then move the folder into place in one step so that two
    // runs starting together never see half a browser
    const saved = { TMPDIR: process.env.TMPDIR, AWS_EXECUTION_ENV: process.env.AWS_EXECUTION_ENV };
    try {
      Object.assign(process.env, { TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' });
      try {
        await chromium.executablePath();
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) {
            delete process.env[name];
          } else {
            process.env[name] = value;
          }
        }
      }
      // its own fonts (Open Sans) beside whatever the system has
      writeFileSync(join(staging, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${dir}/fonts/fonts</dir>
  <cachedir>${dir}/fonts-cache</cachedir>
</fontconfig>
`);
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, 'chromium'))) {
        throw error;
      }
    }
  }
  const env = { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter) };
  return { executablePath: join(dir, 'chromium'), env, source: '@sparticuz/chromium ' + version };
}

/** Where the browser is, the environment to start it in, and where it came from (for the log). */
export async function findChromium() {
  if (process.env.CHROMIUM) {
    return { executablePath: process.env.CHROMIUM, env: process.env, source: 'CHROMIUM' };
  }
  const system = process.env.RINGFENCE_BROWSER === 'npm' ? undefined : systemChromium();
  if (system) {
    return { executablePath: system, env: process.env, source: 'system' };
  }
  return npmChromium();
}
