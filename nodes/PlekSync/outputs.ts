// The Sync node's optional History output, Apply One Person and the summarised Changes / History items: their
// parameters and how their items are rendered. Kept apart from PlekSync.node.ts so that file stays a thin list of
// parameters in and core calls out.
import type { IDataObject, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';

import { historyRows, type HistoryRow } from '../../core/sync/history';
import type { ScopedPlan, WriteRecord } from '../../core/sync/onDemand';
import type { ChangeItem, IssueItem, SyncPlan, SyncResult } from '../../core/sync/types';

/**
 * Three outputs, or four with History Output on: evaluated by n8n from the node's parameters, as n8n's own Switch
 * and Respond to Webhook nodes declare theirs, so existing workflows keep their three outputs.
 */
export const SYNC_OUTPUTS =
	'={{ [{"type":"main","displayName":"Summary"},{"type":"main","displayName":"Changes"},{"type":"main","displayName":"Issues"}].concat($parameter["historyOutput"] === true ? [{"type":"main","displayName":"History"}] : []) }}';

/** The History Output switch (top level: the outputs expression reads it). */
export const historyOutputProperty: INodeProperties = {
	displayName: 'History Output',
	name: 'historyOutput',
	type: 'boolean',
	noDataExpression: true,
	default: false,
	description:
		'Whether to add a fourth output, History: one item per person the run wrote to, would write to, skipped for a reason, failed or was blocked, with stable field names, to append to a Data Table or database table (see the README, "History")',
};

/** Options of the History and Changes outputs and of Limit To First N People (inside the Options collection). */
export const outputOptions: INodeProperties[] = [
	{
		displayName: 'History: Include Unchanged People',
		name: 'historyUnchanged',
		type: 'boolean',
		default: false,
		description: 'Whether History also gets one item per unchanged person (every person, every run: large)',
	},
	{
		displayName: 'Items Per Person or Per Action',
		name: 'outputDetail',
		type: 'options',
		options: [
			{ name: 'One Item Per Person', value: 'perPerson' },
			{
				name: 'One Item Per Action',
				value: 'perAction',
				description: 'Changes and History give one item per action and outcome, with the count and the first people: for large first syncs',
			},
		],
		default: 'perPerson',
		description: 'How the Changes and History outputs list the people. A first sync of 100,000 people is 100,000 items that n8n keeps in memory and saves with the execution; one item per action is a few.',
	},
	{
		displayName: 'Limit To First N People',
		name: 'limitPeople',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Apply the changes of only the first N people the plan writes to (plus the managers and groups they need), for a first real run on a sample. The whole run is still planned and guarded. 0 means everyone.',
	},
	{
		displayName: 'People Named Per Action',
		name: 'summaryPeople',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 20,
		description: 'With One Item Per Action: how many people each item names',
	},
];

export interface OutputSettings {
	history: boolean;
	historyUnchanged: boolean;
	perAction: boolean;
	summaryPeople: number;
}

interface ActionGroup {
	action: string;
	outcome: string;
	count: number;
	people: string[];
}

const who = (key: string | undefined, userName: string | undefined, groupName?: string) =>
	groupName ?? (userName !== undefined && userName !== '' ? `${userName} (${key ?? '?'})` : (key ?? '?'));

/** One item per (action, outcome): the count and the first people. */
function perAction<T>(items: readonly T[], keyOf: (item: T) => [string, string], nameOf: (item: T) => string, listed: number): IDataObject[] {
	const groups = new Map<string, ActionGroup>();
	for (const item of items) {
		const [action, outcome] = keyOf(item);
		const id = `${action}\u0000${outcome}`;
		let group = groups.get(id);
		if (!group) groups.set(id, (group = { action, outcome, count: 0, people: [] }));
		group.count++;
		if (group.people.length < listed) group.people.push(nameOf(item));
	}
	return [...groups.values()].map((g) => ({ ...g, more: Math.max(0, g.count - g.people.length) }) as unknown as IDataObject);
}

export function changesItems(changes: readonly ChangeItem[], settings: OutputSettings, paired: (key: string | undefined) => IPairedItemData[]): INodeExecutionData[] {
	if (!settings.perAction) return changes.map((change) => ({ json: change as unknown as IDataObject, pairedItem: paired(change.key) }));
	return perAction(changes, (c) => [c.actions.join(', '), c.status], (c) => who(c.key, c.userName, c.groupName), settings.summaryPeople).map((json) => ({
		json,
		pairedItem: paired(undefined),
	}));
}

export function historyItems(
	plan: SyncPlan,
	result: { changes: readonly ChangeItem[]; issues: readonly IssueItem[] },
	meta: { runId: string; time: string; mode: string },
	settings: OutputSettings,
	paired: (key: string | undefined) => IPairedItemData[],
): INodeExecutionData[] {
	const rows = historyRows(plan, result, { ...meta, includeUnchanged: settings.historyUnchanged });
	if (!settings.perAction) return rows.map((row) => ({ json: row as unknown as IDataObject, pairedItem: paired(row.key || undefined) }));
	const items = perAction<HistoryRow>(rows, (r) => [r.actions || r.action, r.outcome], (r) => who(r.key || undefined, r.userName, r.groupName || undefined), settings.summaryPeople);
	return items.map((json) => ({ json: { runId: meta.runId, time: meta.time, mode: meta.mode, ...json }, pairedItem: paired(undefined) }));
}

/** Apply One Person's and Limit To First N People's Summary fields: who, what they needed, every write with
 * Plek's answer. */
export function scopeFields(scoped: ScopedPlan | undefined, writes: readonly WriteRecord[], decision: unknown): IDataObject {
	if (scoped?.scope.kind === 'firstPeople') {
		const all = scoped.fullPlan.changes.filter((c) => c.kind === 'user').length;
		return {
			decision: `${String(decision)}; limited to the first ${scoped.scope.limit} people (${all} would change in all)`,
			limitedTo: scoped.scope.limit,
			dependencies: [...scoped.dependencies],
		};
	}
	if (scoped?.scope.kind !== 'person') return {};
	const { plan } = scoped;
	return {
		person: plan.explainTarget?.key ?? null,
		...(plan.explainTarget && plan.explainTarget.matchedBy !== 'key' ? { foundBy: plan.explainTarget.matchedBy } : {}),
		dependencies: [...scoped.dependencies],
		steps: writes.map((w) => ({ ...w }) as unknown as IDataObject),
		explanation: plan.explanation ?? [],
	};
}

/** The Changes, Issues and (when on) History outputs; Explain One Person's are about that person only. */
export function listOutputs(
	run: { runId: string; time: string; mode: string },
	result: SyncResult,
	plan: SyncPlan | undefined,
	settings: OutputSettings,
	paired: (key: string | undefined) => IPairedItemData[],
): INodeExecutionData[][] {
	// Explain: the person the query (mapping key, userName or e-mail) resolved to, not the query text.
	const explained = result.explainTarget?.key ?? result.explainTarget?.query;
	const forThisRun = <T extends { key?: string }>(list: readonly T[]) => (run.mode === 'explain' ? list.filter((entry) => entry.key === explained) : list);
	const changes = changesItems(forThisRun(result.changes), settings, paired);
	const issues: INodeExecutionData[] = forThisRun(result.issues).map((issue) => ({ json: issue as unknown as IDataObject, pairedItem: paired(issue.key) }));
	if (!settings.history) return [changes, issues];
	const history = plan ? historyItems(plan, { changes: forThisRun(result.changes), issues: result.issues }, run, settings, paired) : [];
	return [changes, issues, run.mode === 'explain' ? history.filter((item) => item.json.key === explained) : history];
}
