import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { changeMembers, memberProperties } from './members.descriptions';

const properties: INodeProperties[] = memberProperties(true);

const displayOptions = { show: { resource: ['group'], operation: ['addMembers'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, itemIndex: number): Promise<IDataObject> {
	return await changeMembers.call(this, ctx, itemIndex, 'addMembers');
}
