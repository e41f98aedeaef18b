/**
 * The content model: detections, baselines, their tests and Trailguard's settings for them, as one
 * typed structure that every command (validate, baseline, detect, test, explain, run) reads.
 */

export interface Schedule {
  cron: string;
  /** SPL time modifiers relative to the run's now(). */
  earliest: string;
  latest: string;
  /** Where the values came from: Trailguard's settings file, the YAML's `deployment.scheduling`, or the default. */
  origin: 'settings' | 'content' | 'default';
}

/**
 * How a search is run by `run` and by `baseline` without names: on its schedule, once (when the
 * tables it writes do not exist yet), or only when named (it writes a table people review).
 */
export type RunMode = 'scheduled' | 'once' | 'manual';

export interface RiskObjectSpec {
  /** Result field holding the object (`user`, `src_ip`). */
  field: string;
  /** Object type as the content names it, lower-case with underscores (`user`, `ip_address`). */
  type: string;
  /** `victim`, `attacker`, … (from `observable.role`); `risk_object` for `rba.risk_objects`. */
  role: string;
  /** Per-object score (`rba.risk_objects[].score`), when the content gives one. */
  score?: number;
}

export interface DatasetRef {
  /** A local path (relative to the content dir) or an attack_data URL (mapped by file name to `datasets/`). */
  data: string;
  sourcetype?: string;
  source?: string;
  /** Shift the events' times into the detection's window (Splunk's replay sets new timestamps). */
  updateTimestamp: boolean;
}

/** What a test expects: some result (Splunk's rule), none, or an exact number of results. */
export type TestExpectation = { kind: 'some' } | { kind: 'none' } | { kind: 'count'; count: number };

export interface ContentTest {
  name: string;
  datasets: DatasetRef[];
  expect: TestExpectation;
  /** now() of the test (ISO-8601); default: the latest event time of its datasets, plus the window's offset. */
  now?: string;
  /** Run the baselines the detection depends on over the test's own data first (default true). */
  baselines: boolean;
  file: string;
  line?: number;
  /** The content dir that holds it (datasets are looked up under its `datasets/`). */
  contentDir: string;
}

export interface Drilldown {
  name: string;
  search: string;
  earliestOffset?: string;
  latestOffset?: string;
}

export interface ContentSearch {
  kind: 'detection' | 'baseline';
  name: string;
  id: string;
  version: string;
  type: string;
  status?: string;
  description?: string;
  search: string;
  /** The YAML file and the 1-based line on which the `search:` value starts (for error positions). */
  file: string;
  searchLine: number;
  /** The content directory the file belongs to. */
  contentDir: string;
  schedule: Schedule;
  runMode: RunMode;
  /** Whether `detect`/`run` run it when no names are given. */
  enabled: boolean;
  /** Why it is enabled or disabled, for `validate` and `explain`. */
  enabledBecause: string;
  /** Seconds during which a finding with the same identity is not raised again (default: the window length). */
  suppressSeconds?: number;
  /** Evidence events kept per finding. */
  evidenceLimit: number;
  riskScore?: number;
  confidence?: number;
  impact?: number;
  /** Finding message with `$field$` placeholders. */
  message?: string;
  mitreAttackIds: string[];
  analyticStories: string[];
  riskObjects: RiskObjectSpec[];
  /** Detections a baseline feeds (baselines' `tags.detections`). */
  feeds: string[];
  tests: ContentTest[];
  drilldowns: Drilldown[];
}

export interface Story {
  name: string;
  id?: string;
  description?: string;
  file: string;
}
