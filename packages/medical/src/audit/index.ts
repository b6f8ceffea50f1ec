// Audit trail: hash-chained records of decisions (no pixels, no PHI), isomorphic; the log file is in @cvf/medical/node.
export { AuditError, type AuditErrorCode } from './audit-error.js';
export { chainEntries, EMPTY_CHAIN, GENESIS_HASH, headOf, recordHash, verifyChain, type ChainBreak, type ChainHead, type ChainVerification } from './audit-chain.js';
export { AUDIT_RECORD_VERSION, AUDIT_SOURCES, checkEntry, entryProblem, recordProblem, type AuditDecision, type AuditEntry, type AuditModel, type AuditRecord, type AuditSource } from './audit-record.js';
export { exportAuditRecords, type AuditTimeRange } from './audit-export.js';
export { predictionAuditEntry, type AuditableDecision, type AuditablePrediction } from './prediction-entry.js';
export { canonicalJson } from './canonical-json.js';
export { instanceDigest, InstanceHasher } from './instance-hasher.js';
