export { StoreWriter } from './writer.js';
export { cpeVendorProduct } from './rows.js';
export {
  addImport,
  getDrivers,
  getFingerprint,
  getImports,
  getSnapshot,
  markDriverFailed,
  setDriverState,
  setGroups,
  setSnapshot,
  type DriverInfo,
  type GroupInfo,
  type ImportInfo,
  type SnapshotInfo,
} from './meta.js';
export { countGroups, deleteDriverRecords, deleteEnrichment, deleteVulnerabilities, groupRecords } from './records.js';
export { newSnapshotId } from './snapshot-id.js';
export { replaceDriverData } from './replace.js';
