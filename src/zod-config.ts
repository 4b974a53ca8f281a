// Imported first by the page and the worker, before any schema is built: zod probes for eval
// (new Function) when it builds an object schema, to speed up parsing; the Content-Security-Policy
// forbids eval, and the probe alone reports a violation. The manifests are small: parse without it.
import { z } from "zod";

z.config({ jitless: true });
