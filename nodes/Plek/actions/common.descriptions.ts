import type { INodeProperties } from 'n8n-workflow';

import { CUSTOM_PATH } from '../helpers/utils';

/**
 * The user to act on, as n8n's resource locator: From List (searchable by userName), By ID (Plek ID), By External
 * ID (the mapping key) or By User Name. One parameter, so an expression or an AI agent fills one value.
 */
export const userLocatorProperty: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The Plek user: pick from the list or give their Plek ID, External ID (mapping key) or User Name',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 2819c223-7f76-453a-919d-413861904646',
		},
		{
			displayName: 'By External ID',
			name: 'externalId',
			type: 'string',
			placeholder: 'e.g. 8d3c5a1e-7b2f-4c6d-9e0a-1b2c3d4e5f60',
		},
		{
			displayName: 'By User Name',
			name: 'userName',
			type: 'string',
			placeholder: 'e.g. j.jansen@acme.nl',
		},
	],
};

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
