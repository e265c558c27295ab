/**
 * What the delivery engine reports to the metrics registry. The service wires these to `src/shared/metrics.ts`
 * (prom-client) at composition; the default records nothing, so the engine runs without a registry (tests, scripts).
 */
export interface DeliveryMetrics {
  recordDelivery(state: 'sent' | 'retry' | 'failed' | 'unreachable' | 'deferred'): void;
  setQueueDepth(n: number): void;
  recordJobRun(name: string, outcome: 'ok' | 'error'): void;
}

export const noMetrics: DeliveryMetrics = {
  recordDelivery: () => undefined,
  setQueueDepth: () => undefined,
  recordJobRun: () => undefined,
};
