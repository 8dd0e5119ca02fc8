import type {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import type {
  AttributionModelType,
  ConversionGoalCategory,
  ConversionGoalCountType,
  ConversionGoalRevenueType,
  ConversionGoalStatus,
  EntityScope,
  ExpressionOperator,
  ValueOperator,
} from './apiValueSets.js';

/**
 * A JSON object exactly as it was read.
 *
 * @example
 * ```ts
 * const original: JsonObject = JSON.parse('{"Id":"26012345","Future":1}');
 * ```
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Where a loaded object came from, so that later errors can name it and A3 can write it back.
 *
 * @example
 * ```ts
 * goal.path; // 'ConversionGoals[3]'
 * goal.original.UrlOperator; // as the document wrote it
 * ```
 */
export interface ApiObjectOrigin {
  /** Its JSON path in the document: `ConversionGoals[3]`, `[0]`, or `document` for a lone object. */
  readonly path: string;
  /** The object as it was read, every field kept (unknown ones too), for write-back (SPEC A3). */
  readonly original: JsonObject;
}

/**
 * A `UetTag` of Campaign Management v13 (SPEC A1), its fields named as the API names
 * them, with ids as decimal strings and null fields left out.
 *
 * @example
 * ```ts
 * const { tags } = loadAdvertisingObjects('{"UetTags":[{"Id":"26000001","Name":"Shop"}]}', 'x');
 * tags[0]?.Id; // '26000001'
 * ```
 */
export interface ApiUetTag extends ApiObjectOrigin {
  readonly Id: string;
  readonly Name?: string;
  readonly Description?: string;
  /** As the API last reported it; the model computes its own (SPEC R7). */
  readonly TrackingStatus?: UetTagTrackingStatus;
  readonly TrackingScript?: string;
  readonly TrackingNoScript?: string;
  /** A UetTagIndustry value, returned only with `ReturnAdditionalFields=Industry`. */
  readonly Industry?: string;
  /** Who the tag is shared with; read as given. */
  readonly CustomerShare?: JsonObject;
}

/**
 * A goal's `Revenue` (ConversionGoalRevenue).
 *
 * @example
 * ```ts
 * const revenue: ApiConversionGoalRevenue = { CurrencyCode: 'USD', Type: 'FixedValue', Value: 2.5 };
 * ```
 */
export interface ApiConversionGoalRevenue {
  readonly CurrencyCode?: string;
  readonly Type?: ConversionGoalRevenueType;
  readonly Value?: number;
}

/**
 * The fields every `ConversionGoal` has, whatever its type.
 *
 * @example
 * ```ts
 * const base: ApiConversionGoalBase = goals[0]; // any goal type
 * base.ConversionWindowInMinutes; // 43200
 * ```
 */
export interface ApiConversionGoalBase extends ApiObjectOrigin {
  readonly Id: string;
  readonly Name?: string;
  /** Always the REST name (`Url`), even when the document spelled it `UrlGoal`. */
  readonly Type: ConversionGoalType;
  /** The goal's UET tag; present for every tag-based goal (SPEC G1). */
  readonly TagId?: string;
  /** The user-set status (SPEC A2); absent when the document leaves it out. */
  readonly Status?: ConversionGoalStatus;
  /** As the API last reported it; the model computes its own (SPEC G7). */
  readonly TrackingStatus?: ConversionGoalTrackingStatus;
  /** 1 to 129,600. */
  readonly ConversionWindowInMinutes?: number;
  readonly CountType?: ConversionGoalCountType;
  readonly Revenue?: ApiConversionGoalRevenue;
  readonly Scope?: EntityScope;
  readonly ExcludeFromBidding?: boolean;
  /** Returned only with `ReturnAdditionalFields=GoalCategory`. */
  readonly GoalCategory?: ConversionGoalCategory;
  readonly AttributionModelType?: AttributionModelType;
  /** 1 to 43,200. */
  readonly ViewThroughConversionWindowInMinutes?: number;
  readonly IsEnhancedConversionsEnabled?: boolean;
  readonly IsAutoGoal?: boolean;
}

/**
 * A `UrlGoal` (SPEC M3).
 *
 * @example
 * ```ts
 * if (goal.Type === 'Url') matchUrl(goal.UrlOperator, goal.UrlExpression, pageUrl);
 * ```
 */
export interface ApiUrlGoal extends ApiConversionGoalBase {
  readonly Type: 'Url';
  readonly TagId: string;
  readonly UrlExpression: string;
  /** `Equals` when the document leaves it out, the API's default. */
  readonly UrlOperator: ExpressionOperator;
}

/**
 * An `EventGoal` (SPEC M4): at least one condition pair is present.
 *
 * @example
 * ```ts
 * if (goal.Type === 'Event' && goal.ActionOperator !== undefined) console.log(goal.ActionExpression);
 * ```
 */
export interface ApiEventGoal extends ApiConversionGoalBase {
  readonly Type: 'Event';
  readonly TagId: string;
  readonly ActionExpression?: string;
  readonly ActionOperator?: ExpressionOperator;
  readonly CategoryExpression?: string;
  readonly CategoryOperator?: ExpressionOperator;
  readonly LabelExpression?: string;
  readonly LabelOperator?: ExpressionOperator;
  readonly Value?: number;
  readonly ValueOperator?: ValueOperator;
}

/**
 * A `DurationGoal` (SPEC M5).
 *
 * @example
 * ```ts
 * if (goal.Type === 'Duration') console.log(goal.MinimumDurationInSeconds); // 300
 * ```
 */
export interface ApiDurationGoal extends ApiConversionGoalBase {
  readonly Type: 'Duration';
  readonly TagId: string;
  /** 0 to 86,399; 0 when the document leaves it out, the API's default. */
  readonly MinimumDurationInSeconds: number;
}

/**
 * A `PagesViewedPerVisitGoal` (SPEC M5).
 *
 * @example
 * ```ts
 * if (goal.Type === 'PagesViewedPerVisit') console.log(goal.MinimumPagesViewed); // 3
 * ```
 */
export interface ApiPagesViewedPerVisitGoal extends ApiConversionGoalBase {
  readonly Type: 'PagesViewedPerVisit';
  readonly TagId: string;
  readonly MinimumPagesViewed: number;
}

/**
 * An `AppInstallGoal`: no tag (SPEC G5).
 *
 * @example
 * ```ts
 * if (goal.Type === 'AppInstall') console.log(goal.AppPlatform, goal.AppStoreId);
 * ```
 */
export interface ApiAppInstallGoal extends ApiConversionGoalBase {
  readonly Type: 'AppInstall';
  /** `Android`, `iOS`, `Windows`, `WindowsPhone`, or another platform the API adds. */
  readonly AppPlatform?: string;
  readonly AppStoreId?: string;
}

/**
 * An `OfflineConversionGoal`: no tag (SPEC G5).
 *
 * @example
 * ```ts
 * if (goal.Type === 'OfflineConversion') console.log(goal.IsExternallyAttributed);
 * ```
 */
export interface ApiOfflineConversionGoal extends ApiConversionGoalBase {
  readonly Type: 'OfflineConversion';
  readonly IsExternallyAttributed?: boolean;
}

/**
 * An `InStoreTransactionGoal`: no tag (SPEC G5, our decision).
 *
 * @example
 * ```ts
 * if (goal.Type === 'InStoreTransaction') console.log(goal.Revenue?.CurrencyCode);
 * ```
 */
export interface ApiInStoreTransactionGoal extends ApiConversionGoalBase {
  readonly Type: 'InStoreTransaction';
}

/**
 * A `ConversionGoal` of any type, told apart by `Type` (SPEC A1).
 *
 * @example
 * ```ts
 * if (goal.Type === 'Url') console.log(goal.UrlOperator, goal.UrlExpression);
 * ```
 */
export type ApiConversionGoal =
  | ApiUrlGoal
  | ApiEventGoal
  | ApiDurationGoal
  | ApiPagesViewedPerVisitGoal
  | ApiAppInstallGoal
  | ApiOfflineConversionGoal
  | ApiInStoreTransactionGoal;

/**
 * One of a response's `PartialErrors` (a BatchError), as read.
 *
 * @example
 * ```ts
 * for (const error of loadAdvertisingObjects(text, 'x').partialErrors) console.warn(error.ErrorCode, error.Index);
 * ```
 */
export interface ApiBatchError {
  readonly Code?: number;
  readonly ErrorCode?: string;
  readonly Message?: string;
  readonly Details?: string;
  readonly FieldPath?: string;
  readonly Index?: number;
  readonly Type?: string;
  /** Its JSON path in the document, such as `PartialErrors[0]`. */
  readonly path: string;
}

/**
 * What {@link loadAdvertisingObjects} read from one document.
 *
 * @example
 * ```ts
 * const { tags, goals } = await loadAdvertisingObjectsFile('goals.json');
 * ```
 */
export interface AdvertisingObjects {
  /** Every UET tag, in document order. */
  readonly tags: readonly ApiUetTag[];
  /** Every conversion goal, in document order; null items of a response are left out. */
  readonly goals: readonly ApiConversionGoal[];
  /** The `PartialErrors` of the responses read, if any. */
  readonly partialErrors: readonly ApiBatchError[];
}
