// The Plek Mapper's parameters as the editor shows them. Their defaults are the one source of the node's defaults:
// params.ts reads every parameter through them.
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_INVALID_PERCENT } from '../../core/mapping';

const DEFAULT_DOCUMENT = `{
  "key": $adGuid(objectGUID),
  "userName": $normalizeEmail(mail),
  "active": $not($adDisabled(userAccountControl)),
  "profile": {
    "name.givenName": givenName,
    "name.familyName": sn,
    "title": title,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": department
  },
  "groups": [department = 'Care' ? 'Care']
}`;

export const mapperProperties: INodeProperties[] = [
	{
		displayName:
			'Rules here are JSONata (jsonata.org), evaluated per input item, e.g. <code>$adGuid(objectGUID)</code> or <code>department = \'Care\'</code>. They are not n8n expressions, so leave the fields in Fixed mode. A Plek credential is optional: it fills the field and group dropdowns.',
		name: 'jsonataNotice',
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
				name: 'Fields',
				value: 'fields',
				description: 'One JSONata expression per part of the record: key, user name, active, profile fields, group rules',
			},
			{
				name: 'Document',
				value: 'document',
				description: 'One JSONata expression that returns the whole record, for integration engineers',
			},
			{
				name: 'Propose Mapping',
				value: 'propose',
				description:
					'Look at the input records and propose a complete Fields mapping (key, user name, active, names, e-mail, job, manager, start date, a group per department) with why and a confidence, ready to paste as a configured Plek Mapper',
			},
		],
		default: 'fields',
	},
	{
		displayName:
			'Run this node once on the real export: its output is a proposed mapping, each field with the column it reads, why and a confidence. To accept it, copy the output\'s <code>mapperNode</code> value and paste it on the canvas (Ctrl+V): a Plek Mapper in Fields mode with those fields appears, ordinary fields to check and edit one by one. Nothing is proposed at run time.',
		name: 'proposeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { mode: ['propose'] } },
	},
	{
		displayName: 'Mapping Key',
		name: 'mappingKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: '$adGuid(objectGUID)',
		description:
			'The value that identifies a person and never changes (AD objectGUID, employee number); it becomes the SCIM externalId in Plek. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
		displayOptions: { show: { mode: ['fields'] } },
	},
	{
		displayName: 'User Name',
		name: 'userName',
		type: 'string',
		default: '',
		placeholder: '$normalizeEmail(mail)',
		description:
			'The Plek login: an e-mail address or a plain login. Empty: the first e-mail profile field is used. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
		displayOptions: { show: { mode: ['fields'] } },
	},
	{
		displayName: 'Active',
		name: 'active',
		type: 'string',
		default: 'true',
		placeholder: "$not($adDisabled(userAccountControl)) or $toBool(isActive) and $not($leaveDatePassed(endDate))",
		description:
			'Must return true or false; false deactivates the user in Plek. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
		displayOptions: { show: { mode: ['fields'] } },
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'string',
		default: '',
		placeholder: '$startDate(hireDate)',
		description:
			"Optional: the person's first working day, for pre-hires. $startDate() reads 2027-01-04, 04-01-2027, 04/01/2027, 20270104 and Excel serial numbers (a bare year such as 2027 is refused, never guessed). Before this date the Plek Sync does not create or activate the person (see its Create Pre-hires option). JSONata; keep the field in Fixed mode.",
		displayOptions: { show: { mode: ['fields'] } },
	},
	{
		displayName: 'Leave Date',
		name: 'leaveDate',
		type: 'string',
		default: '',
		placeholder: '$toIsoDate(endDate)',
		description:
			"Optional: the person's leave date (last working day), for the Plek Sync's report: a person still active whose leave date is ahead is counted in its Summary and named in Changes and Explain (\"leaves on 2027-03-31\"). Never written to Plek; Active alone decides. $toIsoDate() reads 2027-03-31, 31-03-2027, 31/03/2027 and ISO date-times. JSONata; keep the field in Fixed mode.",
		displayOptions: { show: { mode: ['fields'] } },
	},
	{
		displayName: 'Manager',
		name: 'manager',
		type: 'string',
		default: '',
		placeholder: 'managerId',
		description:
			"The mapping key of this person's manager (the same value the manager's Mapping Key gives, e.g. their employee number). Plek Sync sets the Plek manager to that person, also when both are created in the same run. Empty: no manager. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.",
		displayOptions: { show: { mode: ['fields'] } },
	},
	{
		displayName: 'Profile Fields',
		name: 'profileFields',
		type: 'fixedCollection',
		placeholder: 'Add Profile Field',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: { show: { mode: ['fields'] } },
		options: [
			{
				name: 'field',
				displayName: 'Field',
				values: [
					{
						displayName: 'Plek Field Name or ID',
						name: 'path',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getProfileFields' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						hint: 'The ID is a SCIM attribute path, e.g. name.givenName or emails[type eq "work"].value. Without a Plek credential the list shows common fields.',
					},
					{
						displayName: 'Expression',
						name: 'expression',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: '$nameCase(givenName)',
						description:
							'The value for this field. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
					},
					{
						displayName: 'Apply',
						name: 'apply',
						type: 'options',
						options: [
							{ name: 'Always', value: 'always', description: 'Set on create and keep in step on every run' },
							{ name: 'Only on Create', value: 'createOnly', description: 'Set when the user is created, never updated afterwards' },
						],
						default: 'always',
					},
				],
			},
		],
	},
	{
		displayName: 'Group Rules',
		name: 'groupRules',
		type: 'fixedCollection',
		placeholder: 'Add Group Rule',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: { show: { mode: ['fields'] } },
		options: [
			{
				name: 'rule',
				displayName: 'Rule',
				values: [
					{
						displayName: 'Group',
						name: 'groupFrom',
						type: 'options',
						options: [
							{ name: 'One Fixed Group', value: 'fixed', description: 'Pick the group from the list' },
							{
								name: 'Named by a Field',
								value: 'field',
								description: 'The group is named by the record, e.g. its department: one rule covers every department',
							},
						],
						default: 'fixed',
					},
					{
						displayName: 'Group Name or ID',
						name: 'group',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getGroups' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						hint: "The ID is the group's name in Plek. The list needs a Plek credential; without one, type the name as an expression.",
						displayOptions: { show: { groupFrom: ['fixed'] } },
					},
					{
						displayName: 'Group Name Expression',
						name: 'groupName',
						type: 'string',
						default: '',
						placeholder: 'department',
						description:
							'The name of the group this person belongs in, e.g. <code>department</code> or <code>"Team " & location</code>; a list puts the person in several groups, empty puts them in none. JSONata; keep the field in Fixed mode. A group Plek lacks is reported, or created with the Sync\'s Create Missing Groups.',
						displayOptions: { show: { groupFrom: ['field'] } },
					},
					{
						displayName: 'Condition',
						name: 'condition',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: "title in ['Nurse', 'Carer']",
						description:
							'The person is put in the group when this is true (for a group named by a field, empty means always). JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
					},
				],
			},
		],
	},
	{
		displayName: 'Document',
		name: 'document',
		type: 'string',
		typeOptions: { rows: 14 },
		default: DEFAULT_DOCUMENT,
		description:
			'Must return {key, userName, active, profile: {path: value}, createOnly: [paths], groups: [names], startDate, leaveDate, manager} (startDate and leaveDate optional, YYYY-MM-DD; manager: the mapping key of the manager). JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
		displayOptions: { show: { mode: ['document'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Check Fields Against Plek Schema',
				name: 'checkSchema',
				type: 'boolean',
				default: false,
				description:
					"Whether to read Plek's /Schemas (needs the credential) and refuse profile fields Plek does not know, read-only fields and date fields",
			},
			{
				displayName: 'Max Depth',
				name: 'maxDepth',
				type: 'number',
				typeOptions: { minValue: 10 },
				default: 200,
				description: 'How deeply an expression may nest (recursion) before it is stopped',
			},
			{
				displayName: 'Max Invalid Share (%)',
				name: 'maxInvalidPercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: DEFAULT_MAX_INVALID_PERCENT,
				description:
					'When more than this share of the records (or all of them) cannot be mapped, the node fails the run, naming the columns the rules expect and the ones the input has, so the error workflow fires: an export whose columns changed is never a silent success. 100: fail only when every record is invalid.',
			},
			{
				displayName: 'Max String Length',
				name: 'maxStringLength',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 2048,
				description: 'Longer texts make the record invalid, naming the field',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Amsterdam',
				description:
					"IANA time zone that $leaveDatePassed(), $daysUntil() and $startDate() use when none is given. Empty: the workflow's time zone.",
			},
			{
				displayName: 'Timeout per Record (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'Time all expressions of one record may take together before the record is refused',
			},
		],
	},
];
