import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { readMembers, type MemberParams } from '../../params';
import { changeMembers, memberProperties } from './members.descriptions';

const properties: INodeProperties[] = memberProperties(true);

const displayOptions = { show: { resource: ['group'], operation: ['addMembers'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const read = readMembers;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: MemberParams, itemIndex: number): Promise<IDataObject> {
	return await changeMembers.call(this, ctx, params, itemIndex, 'addMembers');
}
