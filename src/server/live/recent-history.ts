import type { HistoryResponse } from '../../protocol/api.ts';
import { RECENT_HISTORY } from '../../protocol/live.ts';
import { SERIES_METRICS } from '../../protocol/metrics.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { readHistory, type HistoryReader } from '../history/query.ts';

/**
 * The last hour a subscription's ack carries (RECENT_HISTORY), read as `/api/v1/history` reads
 * it. Answers are shared within one tick: after a server restart every page subscribes again at
 * once, and a thousand walls on one scope cost one read, not a thousand.
 */
export class RecentHistory {
  private seq = -1;
  private readonly answers = new Map<string, HistoryResponse>();

  constructor(private readonly reader: () => HistoryReader) {}

  /** The scope's last hour as of the tick `seq` (its read is reused until the next tick). */
  read(scope: ScopeNode, seq: number): HistoryResponse {
    if (seq !== this.seq) {
      this.seq = seq;
      this.answers.clear();
    }
    let answer = this.answers.get(scope.id);
    if (!answer) {
      const reader = this.reader();
      const to = reader.now();
      answer = readHistory(reader, scope, {
        scope: scope.id,
        metrics: [...SERIES_METRICS],
        from: to - RECENT_HISTORY.windowMs,
        to,
        maxPoints: RECENT_HISTORY.maxPoints,
      });
      this.answers.set(scope.id, answer);
    }
    return answer;
  }
}
