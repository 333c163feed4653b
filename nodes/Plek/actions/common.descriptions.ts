import type { INodeProperties } from 'n8n-workflow';

import { CUSTOM_PATH } from '../helpers/utils';

/** "Find By" and its value, for operations that act on one existing user. */
export function userLookupProperties(withUserName: boolean): INodeProperties[] {
	const options = [
		{ name: 'Plek ID', value: 'id', description: 'The ID Plek gave the user' },
		{
			name: 'External ID',
			value: 'externalId',
			description: 'The mapping key from the HR system or Active Directory (SCIM externalId)',
		},
	];
	if (withUserName) options.push({ name: 'User Name', value: 'userName', description: 'The login name in Plek' });
	return [
		{
			displayName: 'Find By',
			name: 'findBy',
			type: 'options',
			options,
			default: 'externalId',
			description: 'How to identify the user',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 2819c223-7f76-453a-919d-413861904646',
			description: 'The Plek ID of the user',
			displayOptions: { show: { findBy: ['id'] } },
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 8d3c5a1e-7b2f-4c6d-9e0a-1b2c3d4e5f60',
			description: 'The mapping key (SCIM externalId) of the user',
			displayOptions: { show: { findBy: ['externalId'] } },
		},
		...(withUserName
			? [
					{
						displayName: 'User Name',
						name: 'userName',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'e.g. j.jansen@acme.nl',
						description: 'The login name of the user',
						displayOptions: { show: { findBy: ['userName'] } },
					} as INodeProperties,
				]
			: []),
	];
}

/** Profile fields as a list of {field path, value}. */
export function profileFieldsProperty(forUpdate: boolean): INodeProperties {
	return {
		displayName: 'Profile Fields',
		name: 'profileFields',
		type: 'fixedCollection',
		placeholder: 'Add Profile Field',
		default: {},
		typeOptions: { multipleValues: true },
		description: forUpdate
			? 'Profile fields to change; fields not listed are left as they are'
			: 'Profile fields to set on the new user',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'path',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getProfileFields' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Field Path',
						name: 'customPath',
						type: 'string',
						default: '',
						placeholder: 'e.g. urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
						description: 'A SCIM attribute path, such as title, name.givenName or emails[type eq "work"].value',
						displayOptions: { show: { path: [CUSTOM_PATH] } },
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: forUpdate
							? 'The new value. An empty value leaves the field as it is, unless Clear Empty Values is on.'
							: 'The value. An empty value leaves the field unset.',
					},
				],
			},
		],
	};
}

/** Return All / Limit, as every "Get Many" operation of n8n's own nodes offers it. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];
