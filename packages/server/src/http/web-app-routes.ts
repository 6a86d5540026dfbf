import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Files above this are not served from memory (the built app is a few hundred KB; this is a guard, not a limit a user meets). */
const webFileBytesMax = 8 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

interface WebFile {
  path: string;
  type: string;
  cacheControl: string;
  /** The bytes and their gzipped copy, read on the first request: a server that never serves the app never reads it. */
  loaded?: { body: Buffer; gzipped: Buffer | undefined };
}

/**
 * Serves the built web app (`packages/web/dist`) at `/` from the same origin
 * as the API, so its requests and WebSocket pass the origin policy unchanged.
 * The files are listed at start-up, each on its own route (so unknown paths
 * still get the API's JSON 404), and read into memory on their first
 * request, with a gzipped copy of the text ones. Vite's hashed `assets/` are cached for a year, everything
 * else (`index.html`, the service worker) is revalidated on every load.
 * Returns the number of files served: 0 when the app is not built.
 */
export function webAppRoutes(app: FastifyInstance, directory: string): number {
  if (!existsSync(join(directory, 'index.html'))) return 0;
  const files = readWebFiles(directory);
  for (const [path, file] of files) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => sendFile(request, reply, file);
    app.get(path, handler);
    if (path === '/index.html') app.get('/', handler);
  }
  return files.size;
}

function readWebFiles(directory: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  for (const path of listFiles(directory)) {
    if (statSync(path).size > webFileBytesMax) continue;
    const urlPath = `/${relative(directory, path).split(sep).join('/')}`;
    files.set(urlPath, {
      path,
      type: contentTypes[extname(path)] ?? 'application/octet-stream',
      cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return files;
}

function listFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function load(file: WebFile): { body: Buffer; gzipped: Buffer | undefined } {
  if (file.loaded === undefined) {
    const body = readFileSync(file.path);
    const compressible = /^(text\/|application\/json|application\/manifest|image\/svg)/.test(file.type);
    file.loaded = { body, gzipped: compressible ? gzipSync(body, { level: 9 }) : undefined };
  }
  return file.loaded;
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: WebFile): FastifyReply {
  void reply.header('content-type', file.type).header('cache-control', file.cacheControl).header('vary', 'accept-encoding');
  const { body, gzipped } = load(file);
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzipped !== undefined && acceptsGzip) return reply.header('content-encoding', 'gzip').send(gzipped);
  return reply.send(body);
}
