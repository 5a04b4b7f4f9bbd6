// The PKI the lab tests share: generated once into the cache directory and reused by every test file
// (and every mocha worker) after that.
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { loadOrCreatePki } from '../../../lab/pki/pki-store.ts';

let shared: Promise<LabPki> | undefined;

export function sharedTestPki(): Promise<LabPki> {
  shared ??= loadOrCreatePki();
  return shared;
}
