import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
} from 'n8n-workflow';

import { SyncBlockedError, SyncStoppedError } from '../../core/sync/executor';
import { applyScoped, countReads, planScoped, recordingDirectory, type RunScope, type ScopedPlan, type WriteRecord } from '../../core/sync/onDemand';
import { stoppedError } from './stopped';
import { DEFAULT_LIFECYCLE_OPTIONS, emptySourceProblem, isEmptySource } from '../../core/sync/planner';
import { isIsoDate } from '../../core/record';
import { GUARD_LIMIT_OPTIONS, limitOf } from '../../core/sync/planner/guards';
import { DEFAULT_APPROVAL_VALID_HOURS } from '../../core/sync/planner/approval';
import { appliedApprovals, environmentOf, rememberApplied } from './approvals';
import { isKnownTimeZone } from '../../core/mapping/helpers';
import { DEFAULT_EXECUTE_OPTIONS, DEFAULT_SYNC_OPTIONS, type AdoptMode, type GuardLimitOptions, type SyncOptions, type SyncResult } from '../../core/sync/types';

/** Defaults live in core (one place): the run reads them here; n8n's lint wants literal defaults in the
 * description, so test/sync-node checks that those equal core's. */
const D = DEFAULT_SYNC_OPTIONS;
import type { PlekUserRecord } from '../../core/types';
import { credentialProtection } from '../../core/protection';
import { createPlekClient, PLEK_CREDENTIAL_TYPE, rememberDiscovery, toNodeApiError } from '../../transport';
import { executionHints, summaryItem, type SyncMode } from './report';
import { SYNC_OUTPUTS, historyOutputProperty, listOutputs, outputOptions, scopeFields, type OutputSettings } from './outputs';

interface SyncNodeOptions {
	clearEmptyValues?: boolean;
	removeFromRuleGroups?: boolean;
	createMissingGroups?: boolean;
	managedGroups?: string;
	protectedAccounts?: string;
	protectedGroup?: string;
	preHireDays?: number;
	timeZone?: string;
	today?: string;
	concurrency?: number;
	requestsPerSecond?: number;
	rateLimitBudgetMinutes?: number;
	useBulk?: 'auto' | 'never';
	historyUnchanged?: boolean;
	outputDetail?: 'perPerson' | 'perAction';
	limitPeople?: number;
	summaryPeople?: number;
}

/**
 * Plek Sync: reconciles Plek's users with the records it receives (from the Plek Mapper or any node that builds
 * the documented Plek user record). Reads Plek, plans like `terraform plan`, then applies (or only reports the
 * plan). The work is done by core/sync (planner + executor) through the transport; this class only maps
 * parameters in and results out.
 */
/** The Sync's options from its parameters, the credential (protection, environment) and the workflow's applied approvals. */
async function readSyncOptions(this: IExecuteFunctions, guards: IDataObject, options: SyncNodeOptions): Promise<SyncOptions> {
	const syncOptions: SyncOptions = {
		create: this.getNodeParameter('create', 0, D.create) as boolean,
		update: this.getNodeParameter('update', 0, D.update) as boolean,
		deactivate: this.getNodeParameter('deactivate', 0, D.deactivate) as boolean,
		reactivate: this.getNodeParameter('reactivate', 0, D.reactivate) as boolean,
		groups: this.getNodeParameter('groups', 0, D.groups) as boolean,
		deactivateMissing: this.getNodeParameter('deactivateMissing', 0, D.deactivateMissing) as boolean,
		adoptUnmanaged: this.getNodeParameter('adoptUnmanaged', 0, D.adoptUnmanaged) as AdoptMode,
		clearEmptyValues: options.clearEmptyValues ?? D.clearEmptyValues,
		removeFromRuleGroups: options.removeFromRuleGroups ?? D.removeFromRuleGroups,
		createMissingGroups: options.createMissingGroups ?? D.createMissingGroups,
		managedGroups: readManagedGroups(this, options.managedGroups),
		maxDeactivations: numberOr(guards.maxDeactivations, D.maxDeactivations),
		maxDeactivationPercent: numberOr(guards.maxDeactivationPercent, D.maxDeactivationPercent),
		minSourceRatio: numberOr(guards.minSourceRatio, D.minSourceRatio),
		...readGuardLimits(guards),
		...(await readProtection(this, options)),
		approvePlan: typeof guards.approvePlan === 'string' ? guards.approvePlan : DEFAULT_LIFECYCLE_OPTIONS.approvePlan,
		...readStartDateOptions(this, options),
	};
	// Approvals bind to this Plek environment, expire, and apply once (applied ones are in the static data).
	syncOptions.environment = environmentOf(await this.getCredentials(PLEK_CREDENTIAL_TYPE));
	syncOptions.approvalValidHours = numberOr(guards.approvalValidHours, DEFAULT_APPROVAL_VALID_HOURS);
	syncOptions.appliedApprovals = appliedApprovals(this.getWorkflowStaticData('global'));
	if (syncOptions.deactivateMissing) syncOptions.missingScope = readMissingScope(this);
	return syncOptions;
}

export class PlekSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plek Sync',
		name: 'plekSync',
		icon: { light: 'file:plek.svg', dark: 'file:plek.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ {"apply": "Sync users", "dryRun": "Dry run", "explain": "Explain " + $parameter["explainKey"], "applyOne": "Apply " + $parameter["explainKey"]}[$parameter["mode"]] }}',
		description: 'Create, update, deactivate and reactivate Plek users and their group memberships to match your HR source',
		defaults: {
			name: 'Plek Sync',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: SYNC_OUTPUTS,
		hints: [
			{
				message: 'Dry Run writes nothing to Plek: it outputs the plan. When the Changes look right, set Mode to Sync.',
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'always',
				displayCondition: '={{ $parameter["mode"] === "dryRun" }}',
			},
		],
		// n8n's verification asks every regular node to be offered as an AI tool. Called by an agent the node gets only
		// the agent's call as input, not the full source, so the deactivation guards (fewer than half of the managed
		// users in the input) keep such a call from deactivating anyone; agents mostly want the Plek node's actions.
		usableAsTool: true,
		credentials: [
			{
				name: 'plekApi',
				required: true,
			},
		],
		properties: [
			{
				displayName:
					'Feed this node one item per person in the Plek user record format, for example from the Plek Mapper. It runs once for all items: it reads Plek, plans the changes and applies them.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Sync',
						value: 'apply',
						description: 'Plan and write the changes to Plek',
					},
					{
						name: 'Dry Run',
						value: 'dryRun',
						description: 'Output the full plan and write nothing',
					},
					{
						name: 'Explain One Person',
						value: 'explain',
						description: 'Output the step-by-step decision for one person (mapping key, userName or e-mail) and write nothing',
					},
					{
						name: 'Apply One Person',
						value: 'applyOne',
						description:
							'Plan the whole run (guards and protection as usual), then write only this person\'s changes and what they need (a manager or group created first); shows each write with Plek\'s answer',
					},
				],
				default: 'apply',
			},
			historyOutputProperty,
			{
				displayName: 'Person',
				name: 'explainKey',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. anna.devries@example.com',
				description: 'The person whose sync decision you want to see (or apply): their mapping key (externalId), userName or e-mail address',
				displayOptions: { show: { mode: ['explain', 'applyOne'] } },
			},
			{
				displayName: 'Create Users',
				name: 'create',
				type: 'boolean',
				default: true,
				description: 'Whether to create active people who have no Plek account yet (externalId = mapping key)',
			},
			{
				displayName: 'Update Profiles',
				name: 'update',
				type: 'boolean',
				default: true,
				description: 'Whether to write changed profile fields (only the attributes that differ)',
			},
			{
				displayName: 'Deactivate Leavers',
				name: 'deactivate',
				type: 'boolean',
				default: true,
				description: 'Whether to deactivate Plek users the source marks as inactive. Plek users are never deleted.',
			},
			{
				displayName: 'Reactivate Returners',
				name: 'reactivate',
				type: 'boolean',
				default: true,
				description: 'Whether to reactivate Plek users that are inactive in Plek but active in the source',
			},
			{
				displayName: 'Group Memberships',
				name: 'groups',
				type: 'boolean',
				default: true,
				description: 'Whether to add people to the groups their group rules name (add only unless removal is switched on below)',
			},
			{
				displayName: 'Deactivate Users Missing From Source',
				name: 'deactivateMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether to deactivate managed Plek users (those with an externalId) whose mapping key is not in the input. Only use this when the input always holds everyone.',
			},
			{
				displayName: 'Missing Users Scope',
				name: 'missingScope',
				type: 'options',
				options: [
					{ name: 'Everyone', value: 'everyone', description: 'The input holds the whole organisation' },
					{ name: 'Members of a Plek Group', value: 'group', description: 'This run syncs the members of one Plek group' },
					{ name: 'Users With an Attribute Value', value: 'attribute', description: 'This run syncs one organization, division, legal entity…' },
				],
				default: 'everyone',
				description: 'Which part of the organisation this run covers: only users in it can be "missing", and the safety guards count within it',
				displayOptions: { show: { deactivateMissing: [true] } },
			},
			{
				displayName: 'Scope Group',
				name: 'missingScopeGroup',
				type: 'string',
				default: '',
				placeholder: 'e.g. Region North',
				description:
					'The Plek group whose members this run covers. A group Plek does not have holds nobody, so then nobody is deactivated as missing.',
				displayOptions: { show: { deactivateMissing: [true], missingScope: ['group'] } },
			},
			{
				displayName: 'Scope Attribute',
				name: 'missingScopeAttribute',
				type: 'string',
				default: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
				description: 'SCIM path of the Plek attribute that names the part',
				displayOptions: { show: { deactivateMissing: [true], missingScope: ['attribute'] } },
			},
			{
				displayName: 'Scope Value',
				name: 'missingScopeValue',
				type: 'string',
				default: '',
				placeholder: 'e.g. De Linde Noord',
				description: 'The value of Scope Attribute that marks the users of this run (upper and lower case count as the same)',
				displayOptions: { show: { deactivateMissing: [true], missingScope: ['attribute'] } },
			},
			{
				displayName: 'Adopt Existing Accounts',
				name: 'adoptUnmanaged',
				type: 'options',
				options: [
					{ name: 'Off', value: 'off', description: 'Never touch Plek accounts without an externalId' },
					{ name: 'By User Name', value: 'userName' },
					{ name: 'By E-Mail', value: 'email' },
					{ name: 'By User Name or E-Mail', value: 'userNameOrEmail' },
				],
				default: 'off',
				description:
					'A Plek account that was created by hand (no externalId) and matches a new person is taken over instead of creating a duplicate',
			},
			{
				displayName: 'Safety Guards',
				name: 'guards',
				type: 'collection',
				placeholder: 'Change Guard',
				default: {},
				description: 'Over any guard (deactivations, group creates and removals, adoptions, renames, manager changes) nothing is written until an admin approves that plan; when too many writes fail, the Sync stops writing. Either way the node fails with the counts.',
				options: [
					{
						displayName: 'Allow Empty Source',
						name: 'allowEmptySource',
						type: 'boolean',
						default: false,
						description:
							'Whether an input without people is normal (a feed of changes only). By default the Sync fails with "the source returned no people", so a broken export never passes silently and the error workflow fires.',
					},
					{
						displayName: 'Approval Valid For (Hours)',
						name: 'approvalValidHours',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 24,
						description:
							'How long an approved plan fingerprint can be applied, from the minute the blocked run issued it. Each approval applies once, and only to the Plek environment of this credential; after that, a new blocked run gives a new fingerprint to approve.',
					},
					{
						displayName: 'Approve Plan',
						name: 'approvePlan',
						type: 'string',
						default: '',
						placeholder: 'e.g. deactivate30-20261207T0900Z-4f1c0e9a2b7d3c5e6f80',
						description:
							'Fingerprint of a plan you reviewed (shown in the Summary and the error of a blocked run). The run applies that plan even over a guard, but only if the plan computed now is exactly the same, for the same Plek environment, within Approval Valid For, and only once (a replay is refused); any other plan is blocked again, saying why. Normally empty; an approval step can fill it with an expression from the blocked run, as the approval template does.',
					},
					{
						displayName: 'Failure Stop Minimum Writes',
						name: 'stopMinWrites',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 20,
						description:
							'How many writes (creates, profile changes, group changes) must have been answered by Plek before Failure Stop Percentage is checked, so a few early failures never stop a run',
					},
					{
						displayName: 'Failure Stop Percentage',
						name: 'stopFailurePercent',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 100 },
						default: 40,
						description:
							'When more than this percentage of the writes so far, or of the last 100 writes, failed, the Sync stops writing (a wrong credential, Plek down, a mapping Plek refuses), reports what it did and did not do, and fails with what to check. Nothing is lost: the next run writes the rest. 100 never stops.',
					},
					{
						displayName: 'Max Adoptions',
						name: 'maxAdoptions',
						type: 'number',
						typeOptions: { minValue: -1 },
						default: 25,
						description: 'Most hand-made Plek accounts one run may adopt (take over); over it nothing is written until an admin approves the plan. -1 means no limit.',
					},
					{
						displayName: 'Max Deactivation Percentage',
						name: 'maxDeactivationPercent',
						type: 'number',
						typeOptions: { minValue: -1, maxValue: 100 },
						default: 10,
						description: 'Most users one run may deactivate, as a percentage of the active managed Plek users; -1 means no limit',
					},
					{
						displayName: 'Max Deactivations',
						name: 'maxDeactivations',
						type: 'number',
						typeOptions: { minValue: -1 },
						default: 25,
						description: 'Most users one run may deactivate; -1 means no limit',
					},
					{
						displayName: 'Max Group Creates',
						name: 'maxGroupCreates',
						type: 'number',
						typeOptions: { minValue: -1 },
						default: 10,
						description: 'Most groups one run may create (Create Missing Groups): a typo or a new source value must not create thousands of groups. -1 means no limit.',
					},
					{
						displayName: 'Max Group Removals',
						name: 'maxGroupRemovals',
						type: 'number',
						typeOptions: { minValue: -1 },
						default: 50,
						description: 'Most people one run may remove from groups (Remove From Rule Groups); -1 means no limit',
					},
					{
						displayName: 'Max Manager Changes',
						name: 'maxManagerChanges',
						type: 'number',
						typeOptions: { minValue: -1 },
						default: 100,
						description: "Most existing accounts whose manager one run may change (a new account's manager is part of its create); -1 means no limit",
					},
					{
						displayName: 'Max Renames',
						name: 'maxRenames',
						type: 'number',
						typeOptions: { minValue: -1 },
						default: 25,
						description: 'Most existing accounts whose user name one run may change; -1 means no limit',
					},
					{
						displayName: 'Min Source Size Ratio',
						name: 'minSourceRatio',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
						default: 0.5,
						description:
							'When the input holds fewer records than this share of the active managed Plek users (a broken export?), no one is deactivated; 0 switches the guard off',
					},
					{
						displayName: 'When Blocked',
						name: 'whenBlocked',
						type: 'options',
						options: [
							{
								name: 'Fail the Run',
								value: 'fail',
								description: 'The node fails with the counts and the plan fingerprint, so the error workflow fires',
							},
							{
								name: 'Output the Blocked Plan',
								value: 'output',
								description:
									'The node succeeds; its Summary carries blocked, fingerprint and firstAffected, so the workflow can ask an admin to approve the plan',
							},
						],
						default: 'fail',
						description:
							'What happens when a guard (or an approval that no longer matches) blocks the run. Nothing is written either way. Choose Output the Blocked Plan only when the Summary output routes a blocked run to an approval step or a report, as the approval template does.',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Clear Empty Values',
						name: 'clearEmptyValues',
						type: 'boolean',
						default: false,
						description: 'Whether an empty source value removes the value in Plek (by default empty source values are ignored)',
					},
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 32 },
						default: 4,
						description: 'Most requests to Plek in flight at once',
					},
					{
						displayName: 'Create Missing Groups',
						name: 'createMissingGroups',
						type: 'boolean',
						default: false,
						description: 'Whether to create groups the rules name that do not exist in Plek (by default reported as an issue)',
					},
					{
						displayName: 'Create Pre-Hires (Days Ahead)',
						name: 'preHireDays',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 14,
						description:
							"Create people whose start date (the record's startDate, from the Mapper's Start Date) is at most this many days away as inactive Plek accounts, already in their groups; they are activated on the start date. Without this option nobody is created before their start date. A hire that is withdrawn before the start (inactive in, or gone from, the source) is never active.",
					},
					{
						displayName: 'Managed Groups',
						name: 'managedGroups',
						type: 'string',
						default: '',
						placeholder: 'e.g. Care, Kitchen, Dept *',
						description:
							'Comma-separated Plek groups handed over to the Sync. A group rule named by a field (e.g. the department) adds people only to these, to groups the Sync created itself, or to groups it creates; any other existing group it names is reported as an Issue, never a membership. Remove From Rule Groups removes only from these and from the Sync\'s own groups. A name ending in * is a prefix: "Afdeling *" hands over every group starting with "Afdeling ". The Protected Group can never be listed.',
					},
					{
						displayName: 'Protected Accounts',
						name: 'protectedAccounts',
						type: 'string',
						default: '',
						placeholder: 'e.g. admin@acme.nl, svc-intranet, 00123',
						description:
							"Comma-separated userNames, e-mail addresses, Plek IDs or mapping keys (externalIds) of Plek accounts the sync never deactivates, changes, adopts or moves between groups: Plek admins, service and test accounts. They add to the Plek credential's Protected Accounts.",
					},
					{
						displayName: 'Protected Group',
						name: 'protectedGroup',
						type: 'string',
						default: '',
						placeholder: 'e.g. Plek Admins',
						description:
							"A Plek group whose members the sync never deactivates, changes or moves between groups; the Plek credential's Protected Group is protected as well. If the group does not exist in Plek the run is blocked, so nobody is touched by mistake.",
					},
					{
						displayName: 'Rate Limit Budget (Minutes)',
						name: 'rateLimitBudgetMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'How long a request keeps being retried while Plek answers 429 (too many requests) before it is reported as failed. The Sync slows down on its own when Plek rate-limits.',
					},
					{
						displayName: 'Remove From Rule Groups',
						name: 'removeFromRuleGroups',
						type: 'boolean',
						default: false,
						description:
							'Whether to remove people from groups the Sync owns when the rules no longer put them there, e.g. a mover leaves the old department\'s group (Plek adds only by default). Owned: listed in Managed Groups, or created by the Sync; a group merely named by a record is never touched.',
					},
					{
						displayName: 'Requests Per Second',
						name: 'requestsPerSecond',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Cap on requests to Plek per second; 0 means no cap',
					},
					{
						displayName: 'Time Zone',
						name: 'timeZone',
						type: 'string',
						default: '',
						placeholder: 'e.g. Europe/Amsterdam',
						description:
							"IANA time zone in which a start date begins (the date people are activated). Empty: the workflow's time zone. Use the same zone as the Plek Mapper.",
					},
					{
						displayName: 'Today Is (for Tests)',
						name: 'today',
						type: 'string',
						default: '',
						placeholder: 'e.g. 2027-01-04',
						description:
							'Plan as if today were this date (YYYY-MM-DD) instead of now, to preview or test start dates (pre-hires). The Summary shows it. Leave empty in production.',
					},
					{
						displayName: 'Use SCIM Bulk',
						name: 'useBulk',
						type: 'options',
						options: [
							{ name: 'When Plek Supports It', value: 'auto' },
							{ name: 'Never', value: 'never' },
						],
						default: 'auto',
					},
					...outputOptions,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const mode = this.getNodeParameter('mode', 0) as SyncMode;
		const guards = this.getNodeParameter('guards', 0, {}) as IDataObject;
		const options = this.getNodeParameter('options', 0, {}) as SyncNodeOptions;

		const syncOptions = await readSyncOptions.call(this, guards, options);
		const approvalStore = this.getWorkflowStaticData('global');
		const person = mode === 'explain' || mode === 'applyOne' ? readPerson(this) : undefined;
		if (mode === 'explain') syncOptions.explainKey = person;
		const scope = runScope(mode, person, options.limitPeople);
		const outputSettings: OutputSettings = {
			history: this.getNodeParameter('historyOutput', 0, false) as boolean,
			historyUnchanged: options.historyUnchanged === true,
			perAction: options.outputDetail === 'perAction',
			summaryPeople: numberOr(options.summaryPeople, 20),
		};

		// A live list: the client adds each token to it the moment n8n obtains one.
		const secrets: string[] = [];
		const records = items.map((item) => item.json as unknown);
		const emptySource = emptySourceProblem(records, guards.allowEmptySource === true);
		if (emptySource) throw new NodeOperationError(this.getNode(), emptySource.message, { description: emptySource.whatToDo });

		// What Plek advertises changes rarely: a scheduled run reuses /ServiceProviderConfig read within the hour.
		const discoveryStore = this.getWorkflowStaticData('node');
		const client = await createPlekClient(this, {
			secrets,
			discoveryStore,
			concurrency: options.concurrency,
			requestsPerSecond: options.requestsPerSecond,
			rateLimitBudgetMs: typeof options.rateLimitBudgetMinutes === 'number' ? options.rateLimitBudgetMinutes * 60_000 : undefined,
		});

		// The Sync node runs once for all items; each output item points back at the input records it is about.
		// One pairing object per input item, shared by the Summary and the items about that person (n8n stores a shared
		// object once).
		const allItems: IPairedItemData[] = items.map((_, index) => ({ item: index }));
		const itemsByKey = indexItemsByKey(items, allItems);
		const pairedFor = (key: string | undefined): IPairedItemData[] =>
			(key !== undefined ? itemsByKey.get(key) : undefined) ?? allItems.slice(0, 1);

		const startedAt = new Date().toISOString();
		let result: SyncResult | undefined;
		let scoped: ScopedPlan | undefined;
		const writes: WriteRecord[] = [];
		try {
			scoped = await planScoped((isEmptySource(records) ? [] : records) as PlekUserRecord[], client, syncOptions, scope);
			if (scoped.plan.approved && scoped.plan.fingerprint && (mode === 'apply' || mode === 'applyOne')) {
				rememberApplied(approvalStore, scoped.plan.fingerprint, new Date().toISOString());
			}
			const directory = mode === 'applyOne' ? recordingDirectory(client, scoped.plan, writes) : client;
			if (scoped.problem === undefined) result = await applyScoped(
				scoped,
				directory,
				{
					dryRun: mode !== 'apply' && mode !== 'applyOne',
					concurrency: options.concurrency,
					useBulk: options.useBulk ?? DEFAULT_EXECUTE_OPTIONS.useBulk,
					stopFailurePercent: numberOr(guards.stopFailurePercent, DEFAULT_EXECUTE_OPTIONS.stopFailurePercent),
					stopMinWrites: numberOr(guards.stopMinWrites, DEFAULT_EXECUTE_OPTIONS.stopMinWrites),
				},
			);
		} catch (error) {
			if (error instanceof SyncBlockedError) {
				// Output the Blocked Plan: the Summary routes the blocked run to an approval step (templates/*-with-approval.json).
				if (!this.continueOnFail() && guards.whenBlocked !== 'output') {
					throw new NodeOperationError(this.getNode(), error.message, { description: blockedDescription(error.result) });
				}
				result = error.result;
			} else if (error instanceof SyncStoppedError) {
				if (!this.continueOnFail()) throw stoppedError(this.getNode(), error.result);
				result = error.result;
			} else {
				const nodeError = toNodeApiError(this.getNode(), error, undefined, secrets);
				if (!this.continueOnFail()) throw nodeError;
				const failed = [[{ json: { error: nodeError.message, description: nodeError.description ?? '' }, pairedItem: allItems }], [], []];
				return outputSettings.history ? [...failed, []] : failed;
			}
		}

		if (scoped?.problem !== undefined || result === undefined) {
			throw new NodeOperationError(this.getNode(), `Apply One Person: ${scoped?.problem ?? 'nothing was planned'}`, {
				description: 'Enter the mapping key (externalId), userName or e-mail address of one person in the input or managed in Plek.',
			});
		}
		countReads(scoped, client, result);
		await rememberDiscovery(discoveryStore, client);
		const todayIs = typeof syncOptions.now === 'string' ? syncOptions.now : undefined;
		const summaryHead = summaryItem(mode, result, person, scoped?.plan, todayIs);
		const summaryJson = { ...summaryHead, ...scopeFields(scoped, writes, summaryHead.decision) };
		const assumed = (await client.capabilities().catch(() => undefined))?.assumed;
		if (assumed) summaryJson.assumed = assumed;
		// Overlap guard: each run plans against the Plek state it reads; a create another run made in the meantime
		// comes back as alreadyExisted (409 resolved by lookup), so this run says it overlapped instead of failing.
		summaryJson.overlapped = result.summary.alreadyExisted > 0;
		this.addExecutionHints(...executionHints(mode, result));
		const summary: INodeExecutionData[] = [{ json: summaryJson, pairedItem: allItems }];
		const run = { runId: this.getExecutionId() ?? '', time: startedAt, mode };
		return [summary, ...listOutputs(run, result, scoped?.plan, outputSettings, pairedFor)];
	}
}

/** The blocked run's error details: what to do, the fingerprint to approve and the first people affected. */
function blockedDescription(result: SyncResult): string {
	const { fingerprint, firstAffected } = result.summary;
	const lines = [
		'Nothing was written to Plek. Check the source first. If the plan is intended, approve exactly this plan: set Safety Guards > Approve Plan to the fingerprint below and run again (or raise the guard named above for one run).',
	];
	if (fingerprint) lines.push(`Plan fingerprint: ${fingerprint}`);
	if (firstAffected && firstAffected.length > 0) lines.push(`First affected: ${firstAffected.join('; ')}`);
	return lines.join('\n');
}

function indexItemsByKey(items: INodeExecutionData[], pairings: IPairedItemData[]): Map<string, IPairedItemData[]> {
	const byKey = new Map<string, IPairedItemData[]>();
	items.forEach((item, index) => {
		const key = (item.json as { key?: unknown }).key;
		if (typeof key !== 'string') return;
		// Exactly as the planner sees it: keys are not trimmed there either.
		const list = byKey.get(key);
		if (list) list.push(pairings[index]);
		else byKey.set(key, [pairings[index]]);
	});
	return byKey;
}

/** Explain One Person / Apply One Person: the person asked for, never empty. */
function readPerson(ctx: IExecuteFunctions): string {
	const query = (ctx.getNodeParameter('explainKey', 0) as string).trim();
	if (query === '') {
		throw new NodeOperationError(ctx.getNode(), 'Person is empty', {
			description: 'Enter the mapping key (externalId), userName or e-mail address of the person whose sync decision you want to see or apply.',
		});
	}
	return query;
}

/** Who this run applies: one person (Apply One Person), the first N people (Limit To First N People) or everyone. */
function runScope(mode: SyncMode, person: string | undefined, limit: number | undefined): RunScope {
	if (mode === 'applyOne' && person !== undefined) return { kind: 'person', query: person };
	if (typeof limit === 'number' && limit >= 1 && mode !== 'explain') return { kind: 'firstPeople', limit: Math.floor(limit) };
	return { kind: 'everyone' };
}

/** The part of the organisation this run covers (Missing Users Scope); a scope left empty is an error, not "everyone". */
function readMissingScope(ctx: IExecuteFunctions): SyncOptions['missingScope'] {
	const kind = ctx.getNodeParameter('missingScope', 0, 'everyone') as string;
	if (kind === 'everyone') return undefined;
	const group = kind === 'group' ? (ctx.getNodeParameter('missingScopeGroup', 0, '') as string).trim() : '';
	const attribute = kind === 'attribute' ? (ctx.getNodeParameter('missingScopeAttribute', 0, '') as string).trim() : '';
	const value = kind === 'attribute' ? (ctx.getNodeParameter('missingScopeValue', 0, '') as string).trim() : '';
	if (kind === 'group' ? group === '' : attribute === '' || value === '') {
		throw new NodeOperationError(ctx.getNode(), 'Missing Users Scope is incomplete', {
			description: 'Fill in Scope Group (or Scope Attribute and Scope Value), or set Missing Users Scope to Everyone.',
		});
	}
	return kind === 'group' ? { group } : { attribute, value };
}

/** Create Pre-hires, the time zone of start dates and the test clock (Today Is); a bad zone or date fails the node. */
function readStartDateOptions(ctx: IExecuteFunctions, options: SyncNodeOptions): Pick<SyncOptions, 'preHireDays' | 'timeZone' | 'now'> {
	const timeZone = options.timeZone?.trim() || ctx.getTimezone();
	if (!isKnownTimeZone(timeZone)) {
		throw new NodeOperationError(ctx.getNode(), `Options › Time Zone: unknown time zone '${timeZone}'`, {
			description: 'Use an IANA time zone name such as Europe/Amsterdam, or leave the option empty for the workflow\'s time zone.',
		});
	}
	const picked: Pick<SyncOptions, 'preHireDays' | 'timeZone' | 'now'> = { timeZone };
	if (typeof options.preHireDays === 'number' && options.preHireDays >= 0) picked.preHireDays = options.preHireDays;
	const today = options.today?.trim() ?? '';
	if (today !== '') {
		// Only YYYY-MM-DD: a lenient date parser reads 04-03-2026 as 3 April and 1 as 2001.
		if (!isIsoDate(today)) {
			throw new NodeOperationError(ctx.getNode(), `Options › Today Is: '${today}' is not a date written YYYY-MM-DD`, {
				description: 'Write a real calendar date as YYYY-MM-DD, for example 2027-01-04, or leave the option empty to use the current date.',
			});
		}
		picked.now = today;
	}
	return picked;
}

/** Protected accounts and groups: the Plek credential's (every Plek node honours them), with the Sync's own added. */
async function readProtection(ctx: IExecuteFunctions, options: SyncNodeOptions): Promise<Pick<SyncOptions, 'protectedAccounts' | 'protectedGroup' | 'protectedGroups'>> {
	const credential = credentialProtection(await ctx.getCredentials(PLEK_CREDENTIAL_TYPE));
	return {
		protectedAccounts: [...credential.accounts, ...splitList(options.protectedAccounts)],
		protectedGroup: options.protectedGroup ?? '',
		protectedGroups: [...credential.groups],
	};
}

/** The limits of the guards beyond deactivations (Safety Guards); defaults from the one guard list (core GUARDS). */
function readGuardLimits(guards: IDataObject): GuardLimitOptions {
	const limits: GuardLimitOptions = {};
	for (const option of GUARD_LIMIT_OPTIONS) limits[option] = numberOr(guards[option], limitOf(option, {}));
	return limits;
}

/** Managed Groups: names and `Prefix*` patterns; a bare `*` would make every Plek group rule-managed. */
function readManagedGroups(ctx: IExecuteFunctions, value: string | undefined): string[] {
	const entries = splitList(value);
	if (entries.some((entry) => /^\*+$/.test(entry))) {
		throw new NodeOperationError(ctx.getNode(), "Options › Managed Groups: '*' would make every Plek group rule-managed", {
			description: 'Give the text the groups start with, for example "Dept *" for the groups a rule names "Dept " & department, or list the groups by name.',
		});
	}
	return entries;
}

function splitList(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

function numberOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && !Number.isNaN(value) ? value : fallback;
}
