/**
 * Loads a protocol vector file in Node (from disk) and in the browser (over
 * the test server), so the same core tests run in both.
 */
export interface VectorFile<V> {
  file: string;
  protocol_version: string;
  description: string;
  count: number;
  vectors: V[];
}

/** A vector of frames.json: a message, its key and IV, and the frame both reference libraries make of it. */
export interface FrameVector {
  name: string;
  group: string;
  shared_seed: string;
  aes256_key: string;
  crypt_level: 'CLEAR' | 'AES';
  json: string;
  plaintext_hex: string;
  iv: string | null;
  padded_hex: string | null;
  frame_hex: string;
  decoded_json: string;
  py_error: string | null;
}

export async function loadVectors<V>(name: string): Promise<VectorFile<V>> {
  const url = new URL(`./vectors/${name}`, import.meta.url);
  if (url.protocol === 'file:') {
    // A non-literal specifier keeps browser tooling from trying to resolve it.
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as {readFile(u: URL, enc: string): Promise<string>};
    return JSON.parse(await fs.readFile(url, 'utf8')) as VectorFile<V>;
  }
  const response = await fetch(url);
  return (await response.json()) as VectorFile<V>;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function unhex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
