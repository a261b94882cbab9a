/**
 * The catalogers' door: every cataloger, and defaultCatalogers() for an analysis. The distro and
 * passwd catalogers find no packages; the analysis reads their files with readDistro() and
 * passwdEntries().
 */
import { apkCataloger } from './apk.js';
import { distroCataloger } from './distro.js';
import { dpkgCataloger } from './dpkg.js';
import { gemCataloger } from './gem.js';
import { goCataloger } from './go.js';
import { javaCataloger, type JavaOptions } from './java.js';
import { npmCataloger } from './npm.js';
import { passwdCataloger } from './passwd.js';
import { pythonCataloger } from './python.js';
import { rpmCataloger, type RpmOptions } from './rpm.js';
import type { Cataloger } from '../types.js';

export { readDistro, distroQualifier, type Distro } from './distro.js';
export { passwdEntries, type PasswdEntries, type PasswdUser, type GroupEntry } from './passwd.js';
export { apkCataloger, distroCataloger, dpkgCataloger, gemCataloger, goCataloger, javaCataloger, npmCataloger, passwdCataloger, pythonCataloger, rpmCataloger };

/** Per-cataloger settings; anything left out takes the cataloger's default. */
export interface CatalogerConfig {
  /** Cataloger ids to leave out, e.g. ['java']. */
  disabled?: string[];
  /** rpm database limits. */
  rpm?: RpmOptions;
  /** Java archive limits. */
  java?: JavaOptions;
}

/** Every cataloger an analysis runs, in a stable order. */
export function defaultCatalogers(config: CatalogerConfig = {}): Cataloger[] {
  const all: Cataloger[] = [
    distroCataloger(),
    passwdCataloger(),
    dpkgCataloger(),
    apkCataloger(),
    rpmCataloger(config.rpm),
    npmCataloger(),
    pythonCataloger(),
    gemCataloger(),
    javaCataloger(config.java),
    goCataloger(),
  ];
  const disabled = new Set(config.disabled ?? []);
  return all.filter((cataloger) => !disabled.has(cataloger.id));
}
