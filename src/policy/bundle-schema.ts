/**
 * The Anchore 1_0 policy bundle, shape only (anchore-engine-v1-api.yaml PolicyBundle). Unknown
 * fields pass through: bundles exported by Anchore carry extras (last_updated, policyId, ...).
 * Both spellings are accepted: whitelists / whitelist_ids / whitelisted_images / blacklisted_images
 * (Anchore Engine) and allowlists / allowlist_ids / allowlisted_images / denylisted_images.
 */
import { z } from 'zod';

const id = z.string().min(1).max(256);
const text = z.string().max(4096);

export const ruleActionSchema = z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['GO', 'WARN', 'STOP']));

export const policyRuleSchema = z.looseObject({
  id: id.optional(),
  gate: z.string().min(1).max(128),
  trigger: z.string().min(1).max(128),
  action: ruleActionSchema,
  params: z.array(z.looseObject({ name: z.string().min(1).max(128), value: z.string().max(65_536) })).max(64).default([]),
});

export const policySchema = z.looseObject({
  id,
  name: text.optional(),
  comment: text.optional(),
  version: z.literal('1_0'),
  rules: z.array(policyRuleSchema).max(10_000).default([]),
});

const isoDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time');

export const allowlistItemSchema = z.looseObject({
  id: id.optional(),
  gate: z.string().min(1).max(128),
  trigger_id: z.string().min(1).max(1024),
  expires_on: isoDateTime.optional(),
});

export const allowlistSchema = z.looseObject({
  id,
  name: text.optional(),
  comment: text.optional(),
  version: z.literal('1_0'),
  items: z.array(allowlistItemSchema).max(100_000).default([]),
});

export const imageRefSchema = z.looseObject({ type: z.enum(['tag', 'digest', 'id']), value: z.string().min(1).max(1024) });

export const imageSelectionSchema = z.looseObject({
  id: id.optional(),
  name: text,
  registry: z.string().min(1).max(1024),
  repository: z.string().min(1).max(1024),
  image: imageRefSchema,
});

export const mappingSchema = imageSelectionSchema.extend({
  policy_id: id.optional(),
  policy_ids: z.array(id).max(1000).optional(),
  whitelist_ids: z.array(id).max(1000).optional(),
  allowlist_ids: z.array(id).max(1000).optional(),
});

export const policyBundleSchema = z.looseObject({
  id,
  name: text.optional(),
  comment: text.optional(),
  description: text.optional(),
  version: z.literal('1_0'),
  policies: z.array(policySchema).max(1000),
  whitelists: z.array(allowlistSchema).max(1000).optional(),
  allowlists: z.array(allowlistSchema).max(1000).optional(),
  mappings: z.array(mappingSchema).max(10_000),
  whitelisted_images: z.array(imageSelectionSchema).max(10_000).optional(),
  allowlisted_images: z.array(imageSelectionSchema).max(10_000).optional(),
  blacklisted_images: z.array(imageSelectionSchema).max(10_000).optional(),
  denylisted_images: z.array(imageSelectionSchema).max(10_000).optional(),
});

export type PolicyBundle = z.infer<typeof policyBundleSchema>;
export type PolicyRule = z.infer<typeof policyRuleSchema>;
export type Policy = z.infer<typeof policySchema>;
export type Allowlist = z.infer<typeof allowlistSchema>;
export type AllowlistItem = z.infer<typeof allowlistItemSchema>;
export type ImageSelection = z.infer<typeof imageSelectionSchema>;
export type Mapping = z.infer<typeof mappingSchema>;
export type RuleAction = z.infer<typeof ruleActionSchema>;
