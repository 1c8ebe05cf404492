/**
 * A real headless browser for the report's test and bench: the system's Chromium (Debian's `chromium`
 * package, which `.ci/run` installs when missing) driven by playwright-core. No browser is downloaded;
 * a missing binary is an error that says how to install it, never a silent skip.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.IOCM_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, throwaway Chromium: no GPU, no QUIC, no first-run or background traffic. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Launches Chromium with a fresh profile (playwright passes it as --user-data-dir) under `dir` (default:
 * a new temp folder). Close the returned context when done.
 */
export async function launchChromium(dir?: string, viewport = { width: 1360, height: 900 }): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it (Debian: apt-get install -y chromium) or point IOCM_CHROMIUM at one`);
  }
  const profile = mkdtempSync(join(dir ?? tmpdir(), 'chromium-profile-'));
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
}
