/**
 * Downloads a user-supplied http(s) URL into a file without becoming an SSRF proxy: every hop's
 * host is resolved here, every address vetted, and the socket is pinned to the vetted address
 * (a custom `lookup`), so a DNS answer cannot change between the check and the connect.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { AppError } from '../core/errors.js';
import { refusedAddressKind } from './address-policy.js';
import { copyCapped, tooLarge, type CopyResult } from './capped-copy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface UrlFetchOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxRedirects: number;
  /** DNS, injectable for tests. Must return every address the name has. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Address vetting, injectable for tests; defaults to address-policy. */
  refusedKind?: (address: string) => string | null;
  signal?: AbortSignal;
}

const defaultResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

export async function fetchUrlToFile(rawUrl: string, dest: string, maxBytes: number, opts: UrlFetchOptions): Promise<CopyResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), opts.timeoutMs);
  const onCallerAbort = () => deadline.abort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    let url = parseUrl(rawUrl);
    for (let hop = 0; ; hop++) {
      const target = await vet(url, opts);
      const res = await request(url, target, deadline.signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.destroy();
        if (hop >= opts.maxRedirects) throw invalid(`url redirected more than ${opts.maxRedirects} times; refused`);
        url = parseUrl(res.headers.location, url);
        continue;
      }
      if (status < 200 || status >= 300) {
        res.destroy();
        throw invalid(`url answered HTTP ${status}; expected 200 with the GLB bytes`);
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        throw tooLarge(maxBytes);
      }
      return await copyCapped(res, dest, maxBytes, 'destroy');
    }
  } catch (err) {
    if (deadline.signal.aborted && !(err instanceof AppError && err.code === 'file_too_large')) {
      throw opts.signal?.aborted
        ? invalid('fetching the url was cancelled')
        : invalid(`fetching the url timed out after ${formatSeconds(opts.timeoutMs)}; host the file somewhere faster or use the upload flow`);
    }
    throw err instanceof AppError ? err : invalid(`fetching the url failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw invalid(base ? `url redirected to an invalid location "${truncate(text)}"` : `"${truncate(text)}" is not a valid url`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`only http and https urls are allowed, not ${url.protocol.replace(/:$/, '')}`);
  }
  return url;
}

/** Resolves the host and returns the one address we will connect to, or throws why not. */
async function vet(url: URL, opts: UrlFetchOptions): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (opts.resolve ?? defaultResolve)(host);
    } catch {
      throw invalid(`could not resolve host ${host}`);
    }
    if (addresses.length === 0) throw invalid(`could not resolve host ${host}`);
  }
  if (!opts.allowPrivate) {
    const refused = opts.refusedKind ?? refusedAddressKind;
    // Every address must pass: otherwise a name with one public and one private answer could
    // still steer us inward on a retry or a later hop.
    for (const a of addresses) {
      const kind = refused(a.address);
      if (kind) throw invalid(`url resolves to a ${kind} address ${a.address}; refused`);
    }
  }
  return addresses[0]!;
}

function request(url: URL, target: ResolvedAddress, signal: AbortSignal): Promise<http.IncomingMessage> {
  // Pin the connection to the vetted address. Node may ask for one address or, with
  // autoSelectFamily, for a list; answer both shapes with the same single address.
  const lookup = (_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: 'GET',
      agent: false,
      lookup: lookup as never,
      signal,
      headers: { 'user-agent': 'vitrine-fetch', accept: 'model/gltf-binary, application/octet-stream, */*', 'accept-encoding': 'identity' },
    });
    req.once('response', resolve);
    // Keep listening: an abort after the response arrived also errors the request.
    req.on('error', reject);
    req.end();
  });
}

const invalid = (message: string) => new AppError('invalid_request', message);
const truncate = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);
const formatSeconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
