import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError } from '../../src/lib/errors.js';
import type { BundleSignature } from './manifest.js';

/** A key's id: the first 16 hex digits of the sha256 of its public key (SPKI DER). */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** Makes an Ed25519 pair in dir: airlock-feeds-<id>.key (private, 0600) and .pub. */
export function generateKeyPair(dir: string): { id: string; privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const id = keyId(publicKey);
  mkdirSync(dir, { recursive: true });
  const priv = join(dir, `airlock-feeds-${id}.key`);
  const pub = join(dir, `airlock-feeds-${id}.pub`);
  writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  return { id, privateKey: priv, publicKey: pub };
}

/** Reads a private signing key (PEM). */
export function loadPrivateKey(path: string): KeyObject {
  try {
    const key = createPrivateKey(readFileSync(path));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key, not ed25519`);
    return key;
  } catch (err) {
    throw new AirlockError('INVALID_INPUT', `signing key ${path}: ${(err as Error).message}`);
  }
}

/** Reads every *.pub in dir; keyed by key id. */
export function loadTrustedKeys(dir: string): Map<string, KeyObject> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.pub'));
  } catch (err) {
    throw new AirlockError('INVALID_INPUT', `trusted keys directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const keys = new Map<string, KeyObject>();
  for (const name of names) {
    try {
      const key = createPublicKey(readFileSync(join(dir, name)));
      if (key.asymmetricKeyType === 'ed25519') keys.set(keyId(key), key);
    } catch {
      // Not a public key: ignored, like any other stray file in the directory.
    }
  }
  if (keys.size === 0) throw new AirlockError('INVALID_INPUT', `trusted keys directory ${dir} holds no Ed25519 public key (*.pub)`);
  return keys;
}

export function signManifest(manifest: Buffer, key: KeyObject): BundleSignature {
  return { algorithm: 'ed25519', keyId: keyId(key), signature: sign(null, manifest, key).toString('base64') };
}

/** Throws unless sig is a valid signature over manifest by a trusted key; returns the key id. */
export function verifyManifest(manifest: Buffer, sig: BundleSignature, trusted: Map<string, KeyObject>): string {
  const key = trusted.get(sig.keyId);
  if (!key) throw new AirlockError('BUNDLE_UNTRUSTED', `bundle is signed by key ${sig.keyId}, which is not among the trusted keys`);
  if (!verify(null, manifest, key, Buffer.from(sig.signature, 'base64'))) {
    throw new AirlockError('BUNDLE_INVALID', `manifest signature does not verify with key ${sig.keyId}: the manifest was changed after signing`);
  }
  return sig.keyId;
}
