import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ScimGroup } from '../../../../core/types';
import type { PlekExecutionContext } from '../../helpers/interfaces';
import { readGetManyGroups, type GetManyGroupsParams } from '../../params';
import { returnAllOrLimit } from '../common.descriptions';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				description: 'Only the group with exactly this name',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Members',
				name: 'includeMembers',
				type: 'boolean',
				default: false,
				description: 'Whether to include the members of each group in the output',
			},
		],
	},
];

const displayOptions = { show: { resource: ['group'], operation: ['getMany'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const read = readGetManyGroups;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: GetManyGroupsParams): Promise<IDataObject[]> {
	const { displayName, limit } = params;
	let groups: ScimGroup[];
	if (displayName) {
		const group = await ctx.client.findGroupByName(displayName);
		groups = group ? [group] : [];
	} else {
		// Without Return All, SCIM's count asks Plek for no more groups (with their members) than the limit.
		groups = limit === undefined ? await ctx.client.listGroups() : await ctx.client.listGroupsUpTo(limit);
	}
	if (limit !== undefined) groups = groups.slice(0, limit);
	return groups.map((group) => {
		const json = { ...group } as IDataObject;
		if (!params.includeMembers) delete json.members;
		else json.members = group.members ?? [];
		return json;
	});
}
