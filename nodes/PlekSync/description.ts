// The Plek Sync node's parameters as the editor shows them. Their defaults are the one source of the node's
// defaults: params.ts reads every parameter through them (test/sync-node/defaults.test.ts keeps them equal to core's).
import type { INodeProperties } from 'n8n-workflow';

import { GUARDS } from '../../core/sync/planner/guards';
import { ENTERPRISE_USER_SCHEMA } from '../../core/scimPath';
import { historyOutputProperty, outputOptions } from './outputs';

/**
 * The Safety Guards: the options below plus one number option per entry of core's guard list (GUARDS: its name,
 * text, range and default limit), so a new guard is one entry in one file. Sorted by name, as the editor lists them.
 */
function withGuardLimits(options: INodeProperties[]): INodeProperties[] {
	const limits = GUARDS.map((guard): INodeProperties => {
		const { minValue, maxValue, numberPrecision } = guard.node;
		const limit = guard.defaultLimit;
		return {
			displayName: guard.node.displayName ?? guard.label,
			name: guard.option,
			type: 'number',
			typeOptions: { minValue, ...(maxValue !== undefined ? { maxValue } : {}), ...(numberPrecision !== undefined ? { numberPrecision } : {}) },
			default: limit,
			description: guard.node.description,
		};
	});
	return [...options, ...limits].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export const syncProperties: INodeProperties[] = [
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
		default: `${ENTERPRISE_USER_SCHEMA}:organization`,
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
		options: withGuardLimits([
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
		]),
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
];
