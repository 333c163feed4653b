// The Plek Sync node's parameters, read and checked in one pure function: raw values in (as n8n hands them),
// typed settings out, or a ParameterProblem naming the parameter. Every default is the description's
// (description.ts); the credential, the workflow's static data and the input are the node's to add.
import { isKnownTimeZone } from '../../core/mapping/helpers';
import { isIsoDate } from '../../core/record';
import type { RunScope } from '../../core/sync/onDemand';
import { GUARDS } from '../../core/sync/planner/guards';
import type { AdoptMode, ExecuteOptions, SyncOptions } from '../../core/sync/types';
import { ParameterProblem, ParameterSchema, readChoice, readCollection, readFlag, readNumber, splitList } from '../shared/parameters';
import { syncProperties } from './description';
import type { OutputSettings } from './outputs';
import type { SyncMode } from './report';

export const SYNC_PARAMETERS = new ParameterSchema(syncProperties);
const S = SYNC_PARAMETERS;

/** A top-level parameter's raw value (n8n's getNodeParameter for item 0); undefined when absent. */
export type ParameterSource = (name: string) => unknown;

export interface SyncParams {
	mode: SyncMode;
	/** Explain One Person / Apply One Person: the person asked for. */
	person?: string;
	/** The planner's options from the parameters alone (the node adds the credential's protection, environment, approvals). */
	plan: SyncOptions;
	/** The Sync's own Protected Accounts (the credential's come first). */
	protectedAccounts: string[];
	scope: RunScope;
	allowEmptySource: boolean;
	/** Fail the run (default) or output the blocked plan. */
	outputBlocked: boolean;
	client: { concurrency: number; requestsPerSecond: number; rateLimitBudgetMs: number };
	execute: Required<Pick<ExecuteOptions, 'dryRun' | 'concurrency' | 'useBulk' | 'stopFailurePercent' | 'stopMinWrites'>>;
	outputs: OutputSettings;
}

/** Reads every parameter of the Sync node; `workflowTimeZone` stands in for an empty Time Zone. */
export function readSyncParams(get: ParameterSource, workflowTimeZone: string): SyncParams {
	const mode = readChoice<SyncMode>(S, 'mode', get('mode'));
	const guards = readCollection(get('guards'));
	const options = readCollection(get('options'));
	const person = mode === 'explain' || mode === 'applyOne' ? readPerson(get('explainKey')) : undefined;
	const optionNumber = (name: string) => readNumber(S, `options.${name}`, options[name]);
	return {
		mode,
		person,
		plan: readPlanOptions(get, guards, options, workflowTimeZone, mode === 'explain' ? person : undefined),
		protectedAccounts: splitList(options.protectedAccounts),
		scope: runScope(mode, person, options.limitPeople),
		allowEmptySource: guards.allowEmptySource === true,
		outputBlocked: readChoice(S, 'guards.whenBlocked', guards.whenBlocked) === 'output',
		client: {
			concurrency: optionNumber('concurrency'),
			requestsPerSecond: optionNumber('requestsPerSecond'),
			rateLimitBudgetMs: optionNumber('rateLimitBudgetMinutes') * 60_000,
		},
		execute: {
			dryRun: mode !== 'apply' && mode !== 'applyOne',
			concurrency: optionNumber('concurrency'),
			useBulk: readChoice(S, 'options.useBulk', options.useBulk),
			stopFailurePercent: readNumber(S, 'guards.stopFailurePercent', guards.stopFailurePercent),
			stopMinWrites: readNumber(S, 'guards.stopMinWrites', guards.stopMinWrites),
		},
		outputs: {
			history: readFlag(S, 'historyOutput', get('historyOutput')),
			historyUnchanged: options.historyUnchanged === true,
			perAction: readChoice(S, 'options.outputDetail', options.outputDetail) === 'perAction',
			summaryPeople: optionNumber('summaryPeople'),
		},
	};
}

/** What to plan: the switches, the options, every guard's limit, the start-date options and the missing-users scope. */
function readPlanOptions(get: ParameterSource, guards: Record<string, unknown>, options: Record<string, unknown>, workflowTimeZone: string, explainKey: string | undefined): SyncOptions {
	const plan: SyncOptions = {
		create: readFlag(S, 'create', get('create')),
		update: readFlag(S, 'update', get('update')),
		deactivate: readFlag(S, 'deactivate', get('deactivate')),
		reactivate: readFlag(S, 'reactivate', get('reactivate')),
		groups: readFlag(S, 'groups', get('groups')),
		deactivateMissing: readFlag(S, 'deactivateMissing', get('deactivateMissing')),
		adoptUnmanaged: readChoice<AdoptMode>(S, 'adoptUnmanaged', get('adoptUnmanaged')),
		clearEmptyValues: readFlag(S, 'options.clearEmptyValues', options.clearEmptyValues),
		removeFromRuleGroups: readFlag(S, 'options.removeFromRuleGroups', options.removeFromRuleGroups),
		createMissingGroups: readFlag(S, 'options.createMissingGroups', options.createMissingGroups),
		managedGroups: readManagedGroups(options.managedGroups),
		protectedGroup: typeof options.protectedGroup === 'string' ? options.protectedGroup : '',
		approvePlan: typeof guards.approvePlan === 'string' ? guards.approvePlan : '',
		approvalValidHours: readNumber(S, 'guards.approvalValidHours', guards.approvalValidHours),
		...readStartDateOptions(options, workflowTimeZone),
	};
	// Every guard of the one list (core GUARDS) is a Safety Guards option of the same name.
	for (const guard of GUARDS) plan[guard.option] = readNumber(S, `guards.${guard.option}`, guards[guard.option]);
	if (explainKey !== undefined) plan.explainKey = explainKey;
	if (plan.deactivateMissing) plan.missingScope = readMissingScope(get);
	return plan;
}

/** Explain One Person / Apply One Person: the person asked for, never empty. */
function readPerson(value: unknown): string {
	const query = typeof value === 'string' ? value.trim() : '';
	if (query === '') {
		throw new ParameterProblem(S.label('explainKey'), 'Person is empty', 'Enter the mapping key (externalId), userName or e-mail address of the person whose sync decision you want to see or apply.');
	}
	return query;
}

/** Who this run applies: one person (Apply One Person), the first N people (Limit To First N People) or everyone. */
function runScope(mode: SyncMode, person: string | undefined, limit: unknown): RunScope {
	if (mode === 'applyOne' && person !== undefined) return { kind: 'person', query: person };
	if (typeof limit === 'number' && limit >= 1 && mode !== 'explain') return { kind: 'firstPeople', limit: Math.floor(limit) };
	return { kind: 'everyone' };
}

/** The part of the organisation this run covers (Missing Users Scope); a scope left empty is an error, not "everyone". */
function readMissingScope(get: ParameterSource): SyncOptions['missingScope'] {
	const kind = readChoice(S, 'missingScope', get('missingScope'));
	if (kind === 'everyone') return undefined;
	const text = (name: string) => {
		const value = get(name);
		return typeof value === 'string' ? value.trim() : '';
	};
	const group = kind === 'group' ? text('missingScopeGroup') : '';
	const attribute = kind === 'attribute' ? text('missingScopeAttribute') : '';
	const value = kind === 'attribute' ? text('missingScopeValue') : '';
	if (kind === 'group' ? group === '' : attribute === '' || value === '') {
		throw new ParameterProblem(S.label('missingScope'), 'Missing Users Scope is incomplete', 'Fill in Scope Group (or Scope Attribute and Scope Value), or set Missing Users Scope to Everyone.');
	}
	return kind === 'group' ? { group } : { attribute, value };
}

/** Create Pre-hires, the time zone of start dates and the test clock (Today Is); a bad zone or date is refused. */
function readStartDateOptions(options: Record<string, unknown>, workflowTimeZone: string): Pick<SyncOptions, 'preHireDays' | 'timeZone' | 'now'> {
	const zone = typeof options.timeZone === 'string' ? options.timeZone.trim() : '';
	const timeZone = zone || workflowTimeZone;
	if (!isKnownTimeZone(timeZone)) {
		throw new ParameterProblem(S.label('options.timeZone'), `Options › Time Zone: unknown time zone '${timeZone}'`, 'Use an IANA time zone name such as Europe/Amsterdam, or leave the option empty for the workflow\'s time zone.');
	}
	const picked: Pick<SyncOptions, 'preHireDays' | 'timeZone' | 'now'> = { timeZone };
	// Absent means off: nobody is created before their start date (the description's 14 is the value when added).
	if (typeof options.preHireDays === 'number' && options.preHireDays >= 0) picked.preHireDays = options.preHireDays;
	const today = typeof options.today === 'string' ? options.today.trim() : '';
	if (today !== '') {
		// Only YYYY-MM-DD: a lenient date parser reads 04-03-2026 as 3 April and 1 as 2001.
		if (!isIsoDate(today)) {
			throw new ParameterProblem(S.label('options.today'), `Options › Today Is: '${today}' is not a date written YYYY-MM-DD`, 'Write a real calendar date as YYYY-MM-DD, for example 2027-01-04, or leave the option empty to use the current date.');
		}
		picked.now = today;
	}
	return picked;
}

/** Managed Groups: names and `Prefix*` patterns; a bare `*` would make every Plek group rule-managed. */
function readManagedGroups(value: unknown): string[] {
	const entries = splitList(value);
	if (entries.some((entry) => /^\*+$/.test(entry))) {
		throw new ParameterProblem(S.label('options.managedGroups'), "Options › Managed Groups: '*' would make every Plek group rule-managed", 'Give the text the groups start with, for example "Dept *" for the groups a rule names "Dept " & department, or list the groups by name.');
	}
	return entries;
}
