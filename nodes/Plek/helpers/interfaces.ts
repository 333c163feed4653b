import type { PlekScimClient } from '../../../transport';
import type { AttributeInfo } from '../../../core/mapping/types';
import type { NodeProtection } from './protection';

/** One execution of the Plek node: a single transport client and lazily read, cached discovery data. */
export interface PlekExecutionContext {
	client: PlekScimClient;
	/** User attributes from /Schemas (undefined when Plek does not publish /Schemas). Read once per execution. */
	userAttributes(): Promise<AttributeInfo[] | undefined>;
	/** The credential's protected accounts and group, which no operation may deactivate, change or regroup. */
	protection: NodeProtection;
}

export type PlekResource = 'user' | 'group';

export type UserOperation = 'get' | 'getMany' | 'create' | 'update' | 'deactivate' | 'reactivate';

export type GroupOperation = 'getMany' | 'addMembers' | 'removeMembers';
