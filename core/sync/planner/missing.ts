// Managed Plek users whose key is not in the input: left alone, or deactivated with deactivateMissing - never
// one implicated in a key-change conflict of this run (a new key that looks like the same person).
import type { ScimUser } from '../../types';
import type { MissingScope } from '../types';
import { activationStep, addStep, decision, type Decision, type PlanContext } from './decision';
import { describeUser, show } from './text';

function decideMissing(user: ScimUser, protectedIds: ReadonlySet<string>, ctx: PlanContext): Decision {
	const key = user.externalId as string;
	const d = decision(ctx, key, 'missingLeftAlone');
	d.user = user;
	if (!ctx.options.deactivateMissing) {
		d.trace?.push('Missing from the source: left alone (deactivateMissing is off).');
		return d;
	}
	if (protectedIds.has(user.id)) {
		d.rule = 'missingProtected';
		d.trace?.push('Missing from the source, but a new key in the input looks like the same person (key-change conflict): not deactivated.');
		return d;
	}
	if (!ctx.options.deactivate) {
		d.rule = 'missingDeactivationOff';
		d.trace?.push('Missing from the source, but deactivation is switched off (option "deactivate").');
		return d;
	}
	d.rule = 'deactivateMissing';
	const scope = ctx.options.missingScope;
	d.trace?.push(`Missing from the source -> deactivate (deactivateMissing${scope ? `; inside the Missing Users Scope, ${describeScope(scope)}` : ''}).`);
	addStep(d, activationStep('deactivate', key, user, 'missing from source'));
	return d;
}

/** The Explain lines for a key that is not in the input at all (outside the Missing Users Scope: why it stays). */
// Stryker disable next-line ArrowFunction,BooleanLiteral: an unused default - planSync always passes its scope's inScope
export function explainAbsentKey(ctx: PlanContext, inScope: (user: ScimUser) => boolean = () => true): string[] {
	const key = ctx.explainKey;
	if (key === undefined || ctx.presentKeys.has(key)) return [];
	const user = ctx.dir.managedUser(key);
	const lines = [
		`Key ${show(key)} is not in the input.`,
		user ? `Plek: found by externalId -> ${describeUser(user)}.` : 'Plek has no user with this externalId either: nothing to do.',
	];
	const scope = ctx.options.missingScope;
	if (user && user.active !== false && ctx.options.deactivateMissing && scope && !inScope(user)) {
		lines.push(`Outside the Missing Users Scope (${describeScope(scope)}): another part's run decides about this user; not deactivated.`);
	}
	return lines;
}

/** `group "North"` / `urn:...:organization = "North"`: the Missing Users Scope in words. */
export function describeScope(scope: MissingScope): string {
	return 'group' in scope ? `members of Plek group ${show(scope.group)}` : `${scope.attribute} = ${show(scope.value)}`;
}

/**
 * One decision per active managed user missing from the input. Users with a duplicated externalId are never
 * touched; `protectedIds` come from this run's key-change conflicts; users outside `inScope` are another part's.
 */
export function planMissingUsers(
	protectedIds: ReadonlySet<string>,
	ctx: PlanContext,
	// Stryker disable next-line ArrowFunction,BooleanLiteral: an unused default - planSync always passes its scope's inScope
	inScope: (user: ScimUser) => boolean = () => true,
): Decision[] {
	const decisions: Decision[] = [];
	const { listed, inInput, duplicateExternalIds } = ctx.dir;
	// forEach: no iterator result per managed user.
	ctx.dir.byExternalId.forEach((position, key) => {
		const user = listed[position];
		if (inInput[position] > 0 || user.active === false || duplicateExternalIds.has(key)) return;
		// Another part of the organisation (missingScope): its own run decides about it.
		if (!inScope(user)) return;
		decisions.push(decideMissing(user, protectedIds, ctx));
	});
	return decisions;
}
