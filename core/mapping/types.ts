// Types of the mapping engine. Free of n8n: the engine can be used and tested on its own.
import type { PlekUserRecord } from '../types';

/** One Plek profile field in fields mode: a SCIM attribute path and the JSONata expression that fills it. */
export interface ProfileFieldRule {
	/** SCIM attribute path, e.g. `name.givenName`, `emails[type eq "work"].value`. */
	path: string;
	/** JSONata expression evaluated against the source record. */
	expression: string;
	/** Apply this field only when the user is created in Plek. */
	createOnly?: boolean;
}

/**
 * A group rule: the person is put in `group` when `condition` (JSONata) is true for the source record. With
 * `groupName` (JSONata, e.g. `department` or `"Team " & location`) the group's name comes from the record instead:
 * one rule covers every department; `group` is then ignored and an empty `condition` means "always".
 */
export interface GroupRule {
	group: string;
	condition: string;
	groupName?: string;
}

/** Fields mode: one expression per part of the record. */
export interface FieldsMappingConfig {
	/** JSONata expression for the mapping key (becomes SCIM externalId). Required. */
	key: string;
	/** JSONata expression for the userName. When omitted, the first e-mail profile value is used. */
	userName?: string;
	/** JSONata expression returning true/false. Default `true`. */
	active?: string;
	profile?: ProfileFieldRule[];
	groups?: GroupRule[];
	/** JSONata expression for the first working day (`YYYY-MM-DD`, e.g. `$startDate(hireDate)`). Optional. */
	startDate?: string;
	/** JSONata expression for the leave date (`YYYY-MM-DD`, e.g. `$toIsoDate(endDate)`): reported by the Sync, never written to Plek. Optional. */
	leaveDate?: string;
	/** JSONata expression for the manager's mapping key (the same value their `key` has). Empty: no manager. */
	manager?: string;
}

/** Document mode: one JSONata expression returning the whole record `{key, userName, active, profile, createOnly, groups, startDate}`. */
export interface DocumentMappingConfig {
	document: string;
}

export type MappingConfig = FieldsMappingConfig | DocumentMappingConfig;

/** A Plek user attribute as described by /Schemas (the transport's `describeUserAttributes` returns these). */
export interface AttributeInfo {
	/** e.g. `name.givenName`, `emails.value`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`. */
	path: string;
	/** SCIM type: string, boolean, decimal, integer, dateTime, reference, binary, complex. */
	type: string;
	mutability?: string;
	multiValued?: boolean;
	description?: string;
}

export interface CompileOptions {
	/** Time budget for evaluating ONE source record (all its expressions together), in ms. Default 1000. */
	timeoutMs?: number;
	/** Maximum nesting depth of JSONata evaluation. Default 200. */
	maxDepth?: number;
	/** Maximum length of any string in the output record. Default 2048. */
	maxStringLength?: number;
	/** Plek's user attributes from /Schemas. When given, unknown, read-only and date-typed paths are refused. */
	schema?: AttributeInfo[];
	/** Clock for `$leaveDatePassed` / `$adExpired` (tests). Default `() => new Date()`. */
	now?: () => Date;
	/** IANA time zone `$leaveDatePassed` uses when none is given. Default `Europe/Amsterdam`. */
	defaultTimeZone?: string;
	/** Evaluate simple rules as direct JavaScript (same results; see fastpath.ts). Default true; false = jsonata only. */
	fastPath?: boolean;
}

/** Where a mapping failed: `key`, `userName`, `active`, `document`, `source`, `profile.<path>`, `groups.<group>`. */
export type MapFailure = { ok: false; reason: string; field: string; expression?: string };
export type MapSuccess = { ok: true; record: PlekUserRecord };
export type MapResult = MapSuccess | MapFailure;
