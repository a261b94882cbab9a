#!/usr/bin/env node
// Runs the bundled CLI from a checkout (`npm run build` makes dist/airlock.cjs).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('../dist/airlock.cjs');
