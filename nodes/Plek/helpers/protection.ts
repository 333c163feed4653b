import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	describeMatch,
	isProtectedGroupName,
	ProtectedAccounts,
	type ProtectionSettings,
} from '../../../core/protection';
import type { ScimUser } from '../../../core/types';
import type { PlekScimClient } from '../../../transport';

/** The protected groups as Plek has them: their ids and their members' ids. */
interface ResolvedGroups {
	groups: Array<{ id: string; name: string; members: Set<string> }>;
	/** A protected group Plek does not have. */
	missing?: string;
}

const HOW_TO_CHANGE =
	"Protected accounts (break-glass admins, service and test accounts) are changed in Plek itself, not through n8n. If n8n should manage this one, remove it from Protected Accounts or Protected Group on the Plek credential.";

/**
 * The credential's protection as the Plek node enforces it: a protected account is never deactivated, changed
 * (renamed included) or removed from a group, and no account is given a protected userName or e-mail address.
 * The protected group's own membership is left to Plek. Every check looks at the user as Plek returns it, so how
 * the user was looked up (Plek ID, External ID, User Name, in any spelling) makes no difference.
 */
export class NodeProtection {
	private readonly accounts: ProtectedAccounts;
	private resolved?: Promise<ResolvedGroups>;

	constructor(
		private readonly settings: ProtectionSettings,
		private readonly client: PlekScimClient,
	) {
		this.accounts = new ProtectedAccounts(settings.accounts);
	}

	/** Fails the item when `user` is protected; `action` names the refused operation ("Deactivate"). */
	async assertUnprotected(ctx: IExecuteFunctions, user: ScimUser, action: string, itemIndex: number): Promise<void> {
		const why = await this.reasonFor(ctx, user, action, itemIndex);
		if (why === undefined) return;
		throw new NodeOperationError(ctx.getNode(), `${action} refused: ${JSON.stringify(user.userName ?? user.id)} is a protected account (${why})`, {
			itemIndex,
			description: `Nothing was changed in Plek. ${HOW_TO_CHANGE}`,
		});
	}

	/** Fails the item when the group is a protected group: its membership is managed in Plek only. */
	async assertGroupUnprotected(ctx: IExecuteFunctions, group: { id: string; displayName?: string }, action: string, itemIndex: number): Promise<void> {
		if (this.settings.groups.length === 0) return;
		const { groups } = await this.resolve(ctx, action, itemIndex);
		const hit = groups.find((g) => g.id === group.id) ?? (group.displayName !== undefined && isProtectedGroupName(group.displayName, this.settings.groups) ? { name: group.displayName } : undefined);
		if (!hit) return;
		throw new NodeOperationError(ctx.getNode(), `${action} refused: "${hit.name}" is the credential's Protected Group; its members are managed in Plek only`, {
			itemIndex,
			description: `Nothing was changed in Plek. Change the members of a protected group in Plek itself, or clear Protected Group on the Plek credential.`,
		});
	}

	/** Fails the item when a userName or e-mail address about to be written names a protected account. */
	assertNotImpersonating(ctx: IExecuteFunctions, values: Array<{ field: string; value: unknown }>, action: string, itemIndex: number): void {
		for (const { field, value } of values) {
			if (typeof value !== 'string' || !this.accounts.namesProtected(value)) continue;
			throw new NodeOperationError(ctx.getNode(), `${action} refused: ${field} ${JSON.stringify(value)} names an account on the credential's Protected Accounts`, {
				itemIndex,
				description: 'An account given the userName or e-mail address of a protected account would look like it (and be protected as it is). Use another value.',
			});
		}
	}

	private async reasonFor(ctx: IExecuteFunctions, user: ScimUser, action: string, itemIndex: number): Promise<string | undefined> {
		const by = this.accounts.match(user);
		if (by !== undefined) return describeMatch(by, 'credential');
		if (this.settings.groups.length === 0) return undefined;
		const { groups } = await this.resolve(ctx, action, itemIndex);
		const group = groups.find((g) => g.members.has(user.id));
		return group ? describeMatch('group', 'credential', group.name) : undefined;
	}

	/** Looks the protected groups up once per execution; one Plek lacks fails closed (nobody would be protected). */
	private async resolve(ctx: IExecuteFunctions, action: string, itemIndex: number): Promise<ResolvedGroups> {
		const pending = (this.resolved ??= this.lookUpGroups());
		// A failed lookup (Plek unreachable) is asked again by the next item, not remembered.
		pending.catch(() => {
			if (this.resolved === pending) this.resolved = undefined;
		});
		const resolved = await pending;
		if (resolved.missing === undefined) return resolved;
		throw new NodeOperationError(ctx.getNode(), `${action} refused: the credential's Protected Group "${resolved.missing}" does not exist in Plek, so its members cannot be protected`, {
			itemIndex,
			description: 'Nothing was changed in Plek. Create the group in Plek, or correct or clear Protected Group on the Plek credential.',
		});
	}

	private async lookUpGroups(): Promise<ResolvedGroups> {
		const groups: ResolvedGroups['groups'] = [];
		for (const name of this.settings.groups) {
			const group = await this.client.findGroupByName(name);
			if (!group) return { groups, missing: name };
			groups.push({ id: group.id, name: group.displayName ?? name, members: new Set((group.members ?? []).map((m) => m.value)) });
		}
		return { groups };
	}
}
