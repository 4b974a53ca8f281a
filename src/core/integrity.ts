// A model file checked against its manifest entry: the browser's store (after a download, and on
// every read from IndexedDB) and the Node runtime (before a session opens a file) use the same
// check, so both accept the same model folders. The sha256 is incremental and its state can be
// saved with a partial download, so a resumed download still ends with a full-file hash
// (hash-wasm's save/load).
import { createSHA256, type IHasher } from "hash-wasm";
import { IntegrityError } from "./errors";
import type { ManifestFile } from "./manifest";

export class Sha256 {
  private constructor(private readonly hasher: IHasher) {}

  static async create(savedState?: Uint8Array): Promise<Sha256> {
    const hasher = await createSHA256();
    hasher.init();
    if (savedState) hasher.load(savedState);
    return new Sha256(hasher);
  }

  update(bytes: Uint8Array): void {
    this.hasher.update(bytes);
  }

  save(): Uint8Array {
    return this.hasher.save();
  }

  hex(): string {
    return this.hasher.digest("hex");
  }
}

/** Throws IntegrityError unless a file of `bytes` bytes with this `digest` is the manifest's `file`. */
export function checkFile(file: ManifestFile, bytes: number, digest: string): void {
  if (bytes !== file.bytes) throw new IntegrityError(`${file.path}: ${bytes} bytes, but the manifest says ${file.bytes} (a truncated or replaced file)`);
  if (digest !== file.sha256) throw new IntegrityError(`${file.path}: sha256 ${digest} does not match the manifest's ${file.sha256} (a corrupted or replaced file)`);
}
