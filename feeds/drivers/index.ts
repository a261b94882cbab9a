import type { FeedDriver } from '../driver.js';
import { alpine } from './alpine/index.js';
import { debian } from './debian/index.js';
import { nvd } from './nvd/index.js';
import { osv } from './osv/index.js';

/** Every feed driver, in sync order. Adding one means a folder here and a line in this list. */
export const drivers: FeedDriver[] = [alpine, debian, nvd, osv];

/** The driver with that id, or undefined. */
export function driverById(id: string): FeedDriver | undefined {
  return drivers.find((d) => d.id === id);
}
