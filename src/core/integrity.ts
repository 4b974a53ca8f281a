// Incremental sha256 whose state can be saved with a partial download, so a
// resumed download still ends with a full-file hash (hash-wasm's save/load).
import { createSHA256, type IHasher } from "hash-wasm";

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

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = await Sha256.create();
  hash.update(bytes);
  return hash.hex();
}
