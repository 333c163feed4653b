// Small text helpers of the planner's readable lines (traces, Issues). A leaf: imports nothing of the planner.
import type { ScimUser } from '../../types';

export const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
export const lower = (s: string) => s.toLowerCase();

export function isManaged(user: ScimUser): boolean {
	return typeof user.externalId === 'string' && user.externalId !== '';
}

export function describeUser(user: ScimUser): string {
	const managed = isManaged(user) ? `, externalId ${show(user.externalId)}` : ', no externalId';
	return `Plek user id ${user.id} (userName ${show(user.userName)}${managed}, ${user.active === false ? 'inactive' : 'active'})`;
}
