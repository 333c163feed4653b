import type { PlekScimClient } from '../../../transport';
import type { AttributeInfo } from '../../../core/mapping/types';

/** One execution of the Plek node: a single transport client and lazily read, cached discovery data. */
export interface PlekExecutionContext {
	client: PlekScimClient;
	/** User attributes from /Schemas (undefined when Plek does not publish /Schemas). Read once per execution. */
	userAttributes(): Promise<AttributeInfo[] | undefined>;
}

export type PlekResource = 'user' | 'group';

export type UserOperation = 'get' | 'getMany' | 'create' | 'update' | 'deactivate' | 'reactivate';

export type GroupOperation = 'getMany' | 'addMembers' | 'removeMembers';
