// A real HTTP server for store tests: serves in-memory files, honours Range
// requests (or ignores them, like some static hosts), and can drop the connection
// partway through a body to simulate an interrupted download.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FileServer {
  baseUrl: string;
  files: Map<string, Uint8Array>;
  requests: Array<{ path: string; range: string | undefined }>;
  /** Next response for this path sends only this many bytes, then resets the socket. */
  cutAfter: Map<string, number>;
  honourRange: boolean;
  close(): Promise<void>;
}

export async function startFileServer(baseDir = "/models/"): Promise<FileServer> {
  const state = {
    files: new Map<string, Uint8Array>(),
    requests: [] as FileServer["requests"],
    cutAfter: new Map<string, number>(),
    honourRange: true,
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(baseDir.length);
    const range = req.headers.range;
    state.requests.push({ path, range });
    const body = state.files.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    let start = 0;
    let status = 200;
    const match = /^bytes=(\d+)-$/.exec(range ?? "");
    if (match && state.honourRange) {
      start = Number(match[1]);
      status = 206;
    }
    const slice = body.subarray(start);
    res.writeHead(status, {
      "content-length": String(slice.length),
      ...(status === 206 ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const cut = state.cutAfter.get(path);
    if (cut !== undefined) {
      state.cutAfter.delete(path);
      res.write(slice.subarray(0, cut), () => res.destroy());
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}${baseDir}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
