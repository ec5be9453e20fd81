// The agents' process of AgentsProcess (agents-process.ts): runs SdkAgents and answers over IPC.
import { filter, firstValueFrom } from 'rxjs';
import type { FromAgents, ToAgents } from './agents-process.js';
import { SdkAgent } from './sdk-agents.js';

const agents: SdkAgent[] = [];
const answer = (message: FromAgents): void => void process.send!(message);

process.on('message', (message: ToAgents) => {
  void handle(message);
});
// The bench ended (or died): nothing left to answer.
process.on('disconnect', () => process.exit(0));

async function handle(message: ToAgents): Promise<void> {
  switch (message.type) {
    case 'connect': {
      agents.push(...message.agentIds.map((agentId) => new SdkAgent(message.endpoint, agentId)));
      if (message.oneByOne) for (const agent of agents) await agent.connect();
      else await Promise.all(agents.map((agent) => agent.connect()));
      return answer({ type: 'connected' });
    }
    case 'writeWhileAway': {
      const wrote = agents.map(async (agent) => {
        await firstValueFrom(agent.client.connection$.pipe(filter((state) => state.status === 'reconnecting')));
        await Promise.all(
          [...agent.sessions].map(async (sessionId) => {
            for (const text of message.texts) await agent.reply(sessionId, text);
          }),
        );
      });
      answer({ type: 'armed' });
      await Promise.all(wrote);
      return answer({ type: 'wrote' });
    }
    case 'report':
      return answer({
        type: 'report',
        sessions: Object.fromEntries(agents.map((agent) => [agent.agentId, [...agent.sessions]])),
        failures: agents.flatMap((agent) => agent.failures.map((failure) => ({ agentId: agent.agentId, ...failure }))),
      });
  }
}
