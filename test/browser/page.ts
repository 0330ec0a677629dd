/**
 * Shared setup of the browser tests: starts the Vite dev server of examples/browser on a free
 * port (programmatically, each test file its own), launches Debian's Chromium through
 * playwright-core (playwright's own browser download is not used: scripts/setup-browser.sh
 * installs /usr/bin/chromium), and opens a page. Without Chromium the tests skip with a
 * logged reason, unless NUMBATS_REQUIRE_BROWSER=1 (set by .ci/run) makes them fail.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Chromium binary (NUMBATS_CHROMIUM overrides). */
export const CHROMIUM = process.env.NUMBATS_CHROMIUM || '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export const browserMissing: string | null = existsSync(CHROMIUM)
  ? null
  : `no Chromium at ${CHROMIUM}: run scripts/setup-browser.sh`;

/**
 * Whether a browser test file skips: Chromium is missing and NUMBATS_REQUIRE_BROWSER is not
 * 1 (then `openPage` fails with the reason instead). Logs what happens.
 */
export function skipBrowserTests(file: string): boolean {
  const required = process.env.NUMBATS_REQUIRE_BROWSER === '1';
  if (browserMissing)
    console.log(
      `[numbats browser:${file}] ${browserMissing}; ${required ? 'NUMBATS_REQUIRE_BROWSER=1: failing' : 'skipped'}`,
    );
  return browserMissing !== null && !required;
}

/**
 * Chromium's flags. WebGL2 without a GPU: ANGLE on SwiftShader (software Vulkan), which
 * headless Chromium refuses for WebGL unless allowed as "unsafe" (fine for local pages).
 * The rest keeps the browser off the network and quiet. playwright-core adds a fresh
 * temporary --user-data-dir itself (and removes it on close).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

export interface BrowserPage {
  readonly browser: Browser;
  readonly page: Page;
  readonly server: ViteDevServer;
  /** The server's address of `path` (relative to examples/browser, e.g. `/?paused`). */
  url(path?: string): string;
  /** Page errors and console errors seen so far (the test can assert there are none). */
  readonly errors: string[];
  /** Closes the browser and the server (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link openPage}. */
export interface OpenOptions {
  /** Chromium flags added to {@link CHROMIUM_ARGS} (e.g. `--js-flags=--jitless`). */
  readonly args?: readonly string[];
}

/**
 * Starts the examples/browser dev server and Chromium, and opens `path` in a fresh page,
 * waiting until `ready` (a JS expression, e.g. `'window.numbatsLife'`) is truthy there.
 */
export async function openPage(
  path = '/',
  ready?: string,
  options: OpenOptions = {},
): Promise<BrowserPage> {
  if (browserMissing) throw new Error(browserMissing);
  // A cache dir per server: two test files may optimize dependencies at the same time.
  const cacheDir = mkdtempSync(join(tmpdir(), 'numbats-vite-'));
  let server: ViteDevServer | null = null;
  let browser: Browser | null = null;
  const close = async () => {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    browser = server = null;
    rmSync(cacheDir, { recursive: true, force: true });
  };
  try {
    server = await createServer({
      configFile: join(repo, 'examples', 'browser', 'vite.config.ts'),
      cacheDir,
      logLevel: 'warn',
      clearScreen: false,
      server: { host: '127.0.0.1', port: 0, strictPort: true, hmr: false, watch: null },
    });
    await server.listen();
    const { port } = server.httpServer!.address() as AddressInfo;
    const url = (p = '/') => `http://127.0.0.1:${port}${p.startsWith('/') ? '' : '/'}${p}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
      timeout: 120_000,
    });
    const page = await browser.newPage({ viewport: { width: 900, height: 760 } });
    page.setDefaultTimeout(120_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
    });
    await page.goto(url(path));
    if (ready) await page.waitForFunction(ready, undefined, { timeout: 120_000 });
    const b = browser;
    const s = server;
    return { browser: b, page, server: s, url, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Calls `window[api][fn](...args)` in `page` (the test hook a page publishes, e.g.
 * `numbatsLife.run`) and returns its (awaited) result.
 */
export function callPageApi(page: Page, api: string, fn: string, ...args: unknown[]): Promise<any> {
  return page.evaluate(
    ([name, f, a]) => {
      const hooks = (
        window as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>
      )[name];
      return hooks[f](...a);
    },
    [api, fn, args] as const,
  );
}
