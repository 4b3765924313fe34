import type { Vendor } from '@dual-auth/core';
import type { AgentFixture, HumanFixture, IdpFixture } from './types.ts';
import { vendorUserId } from './vendor-ids.ts';

/** One profile's view of the fixture: humans under their vendor-shaped ids. */
export interface Directory {
  readonly vendor: Vendor;
  readonly fixture: IdpFixture;
  readonly humans: readonly HumanFixture[];
  agent(clientId: string): AgentFixture | undefined;
  human(userId: string): HumanFixture | undefined;
}

/** Builds the directory of one vendor profile. */
export function createDirectory(vendor: Vendor, fixture: IdpFixture): Directory {
  const humans = fixture.humans.map((human) => ({ ...human, id: vendorUserId(vendor, human.id) }));
  const byId = new Map(humans.map((human) => [human.id, human]));
  const agents = new Map(fixture.agents.map((agent) => [agent.clientId, agent]));
  return {
    vendor,
    fixture,
    humans,
    agent: (clientId) => agents.get(clientId),
    human: (userId) => byId.get(userId),
  };
}

/** Why a human may not be delegated to an agent, or `undefined` when they may. */
export function humanRefusal(directory: Directory, userId: string, agentId: string): string | undefined {
  const human = directory.human(userId);
  if (human === undefined) return `user ${userId} does not exist`;
  if (!human.roles.includes(directory.fixture.humanRole)) {
    return `user ${userId} lacks the role ${directory.fixture.humanRole}`;
  }
  if (!human.approvedAgents.includes(agentId)) return `user ${userId} has not approved agent ${agentId}`;
  return undefined;
}
