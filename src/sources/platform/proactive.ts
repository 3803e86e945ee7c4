/**
 * The proactive sources as background jobs (issue #18): the metrics sampler and the platform
 * watcher on their own timers, each switched on by the environment (`HEALER_RESOURCE_CHECKS`,
 * `HEALER_PLATFORM_CHECKS`) and tuned by `heal-config.json` (`resources`, `platform`). Their
 * drafts go to the tracker's `observe` like every rule's, so they open and resolve incidents the
 * same way. An API the cluster does not serve is said once by the source and skipped.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { AlertDraft } from '../../domain/alert.js';
import type { HealConfig } from '../../domain/heal-config.js';
import type { Pod } from '../../domain/kube.js';
import type { PlatformThresholds } from '../../detectors/platform/checks.js';
import type { PressureThresholds } from '../../detectors/resources/pressure.js';
import { IntervalJob } from '../../runtime/index.js';
import { MetricsSampler, type PodOwner } from './metrics-sampler.js';
import { PlatformWatcher } from './platform-watcher.js';

export interface ProactiveOptions {
  kc: KubeConfig;
  logger: Logger;
  now: () => Date;
  heal: Pick<HealConfig, 'resources' | 'platform' | 'alerts'>;
  resources: { enabled: boolean; everyMs: number };
  platform: { enabled: boolean; everyMs: number };
  /** Watched namespaces (`*` = every namespace). */
  namespaces: () => readonly string[];
  pod: (namespace: string, name: string) => Pod | undefined;
  pods: () => Iterable<Pod>;
  ownerOf: (pod: Pod) => PodOwner | null;
  observe: (objectKey: string, drafts: AlertDraft[]) => Promise<void>;
}

export const pressureThresholds = (h: Pick<HealConfig, 'resources'>): PressureThresholds => ({
  memoryRatio: h.resources.memoryLimitRatio,
  memorySustainSeconds: h.resources.memorySustainSeconds,
  trendHorizonSeconds: h.resources.trendHorizonMinutes * 60,
  trendMinSamples: 4,
});

export const platformThresholds = (h: Pick<HealConfig, 'platform'>): PlatformThresholds => ({
  appUnhealthySeconds: h.platform.appUnhealthyMinutes * 60,
  certNotReadySeconds: h.platform.certNotReadyMinutes * 60,
  certExpiryDays: h.platform.certExpiryDays,
  imagePullNamespaces: h.platform.imagePullNamespaces,
  volumeUsedRatio: h.platform.volumeUsedRatio,
});

export interface ProactiveSources {
  sampler?: MetricsSampler;
  platform?: PlatformWatcher;
  samplerJob?: IntervalJob;
  platformJob?: IntervalJob;
  /** One line for the start-up log: what runs and what is off. */
  describe(): string;
}

/** Builds the enabled sources and their jobs (not started: the pipeline's Background does that). */
export function createProactiveSources(o: ProactiveOptions): ProactiveSources {
  const disabled = new Set(o.heal.alerts.disabled);
  // an alert switched off in heal-config (`alerts.disabled: ["platform"]`) produces nothing
  const observe = (key: string, drafts: AlertDraft[]) =>
    o.observe(
      key,
      drafts.filter((d) => !disabled.has(d.alert)),
    );
  const sampler =
    o.resources.enabled && !disabled.has('resource')
      ? new MetricsSampler({
          kc: o.kc,
          logger: o.logger,
          now: o.now,
          thresholds: pressureThresholds(o.heal),
          namespaces: o.namespaces,
          pod: o.pod,
          pods: o.pods,
          ownerOf: o.ownerOf,
          observe,
        })
      : undefined;
  const platform =
    o.platform.enabled && !disabled.has('platform')
      ? new PlatformWatcher({
          kc: o.kc,
          logger: o.logger,
          now: o.now,
          thresholds: platformThresholds(o.heal),
          pods: o.pods,
          observe,
          disabled: o.heal.platform.disabled,
        })
      : undefined;
  const job = (name: string, everyMs: number, run: () => Promise<void>) =>
    new IntervalJob({ name, everyMs, run, logger: o.logger, failureLevel: 'warn' });
  const s = sampler;
  const p = platform;
  return {
    sampler,
    platform,
    samplerJob: s && job('resource pressure pass', o.resources.everyMs, () => s.tick()),
    platformJob: p && job('platform health pass', o.platform.everyMs, () => p.tick()),
    describe: () =>
      [
        `resource checks ${s ? `every ${o.resources.everyMs / 1000}s` : 'off'}`,
        `platform checks ${p ? `every ${o.platform.everyMs / 1000}s` : 'off'}`,
      ].join('; '),
  };
}
