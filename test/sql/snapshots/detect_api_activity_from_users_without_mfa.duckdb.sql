-- subsearch_1 (the search) runs in Trailguard: `inputlookup` reads no events: nothing to push

;
-- the search; Trailguard runs commands 4–6 on its rows
-- Trailguard: SPL compiled to DuckDB SQL, profile duckdb-cloudtrail
WITH "src" AS (
  -- the table (profile duckdb-cloudtrail), pruned to the search window [2026-11-20T11:00:00.000Z, 2026-11-20T12:00:00.000Z)
  SELECT "t".*,
         epoch(TRY_CAST(coalesce("t"."eventTime", "t"."@timestamp") AS TIMESTAMPTZ)) AS "_time"
  FROM "files" AS "t"
  WHERE epoch(TRY_CAST(coalesce("t"."eventTime", "t"."@timestamp") AS TIMESTAMPTZ)) IS NOT NULL
    AND epoch(TRY_CAST(coalesce("t"."eventTime", "t"."@timestamp") AS TIMESTAMPTZ)) >= 1795172400
    AND epoch(TRY_CAST(coalesce("t"."eventTime", "t"."@timestamp") AS TIMESTAMPTZ)) < 1795176000
)
, "f1" AS (
  -- field-model fields, each computed once (stage by stage as they build on each other)
  SELECT "t".*,
         CASE json_type("t"."additionalEventData", '$.LoginTo') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."additionalEventData", '$.LoginTo') END AS "_tg_additionalEventData_LoginTo_1",
         CASE json_type("t"."responseElements", '$.assumedRoleUser.arn') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."responseElements", '$.assumedRoleUser.arn') END AS "_tg_responseElements_assumedRoleUser_arn_1",
         CASE json_type("t"."requestParameters", '$.roleSessionName') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."requestParameters", '$.roleSessionName') END AS "_tg_requestParameters_roleSessionName_1",
         CASE json_type("t"."responseElements", '$.user.userName') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."responseElements", '$.user.userName') END AS "_tg_responseElements_user_userName_1",
         CASE json_type("t"."responseElements", '$.accessKey.userName') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."responseElements", '$.accessKey.userName') END AS "_tg_responseElements_accessKey_userName_1",
         CASE json_type("t"."responseElements", '$.loginProfile.userName') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."responseElements", '$.loginProfile.userName') END AS "_tg_responseElements_loginProfile_userName_1",
         CASE json_type("t"."requestParameters", '$.userName') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."requestParameters", '$.userName') END AS "_tg_requestParameters_userName_1"
  FROM "src" AS "t"
)
, "f2" AS (
  SELECT "t".*,
         CASE WHEN "t"."eventName" = 'ConsoleLogin' THEN CASE WHEN coalesce("t"."userIdentity"."type" = 'AssumedRole', FALSE) AND "t"."_tg_additionalEventData_LoginTo_1" IS NOT NULL THEN CASE WHEN regexp_matches("t"."userIdentity"."principalId", ':(.+)$') THEN regexp_extract("t"."userIdentity"."principalId", ':(.+)$', 1) END ELSE coalesce("t"."userIdentity"."userName", "t"."userIdentity"."sessionContext"."sessionIssuer"."userName") END WHEN "t"."eventName" = 'AssumeRole' OR "t"."eventName" = 'AssumeRoleWithSAML' OR "t"."eventName" = 'AssumeRoleWithWebIdentity' THEN coalesce(CASE WHEN regexp_matches("t"."_tg_responseElements_assumedRoleUser_arn_1", '[^/]*$') THEN regexp_extract("t"."_tg_responseElements_assumedRoleUser_arn_1", '[^/]*$', 0) END, "t"."_tg_requestParameters_roleSessionName_1") WHEN "t"."eventName" = 'CreateUser' OR "t"."eventName" = 'CreateLoginProfile' OR "t"."eventName" = 'DeleteUser' OR "t"."eventName" = 'UpdateUser' OR "t"."eventName" = 'CreateAccessKey' THEN coalesce("t"."_tg_responseElements_user_userName_1", "t"."_tg_responseElements_accessKey_userName_1", "t"."_tg_responseElements_loginProfile_userName_1", "t"."_tg_requestParameters_userName_1", CASE WHEN regexp_matches("t"."errorMessage", 'on resource: \S*:user/(?:\S*/)?([^\s/]+)') THEN regexp_extract("t"."errorMessage", 'on resource: \S*:user/(?:\S*/)?([^\s/]+)', 1) END) WHEN "t"."eventName" = 'PutBucketAcl' THEN "t"."userIdentity"."userName" WHEN "t"."eventName" LIKE '%Instances' ESCAPE '\' OR "t"."eventName" LIKE '%Volume' ESCAPE '\' OR "t"."eventName" LIKE 'Put%' ESCAPE '\' OR "t"."eventName" LIKE '%Bucket' ESCAPE '\' THEN coalesce("t"."userIdentity"."userName", "t"."userIdentity"."sessionContext"."sessionIssuer"."userName") ELSE "t"."userIdentity"."userName" END AS "_tg_user_4"
  FROM "f1" AS "t"
)
, "ev" AS (
  -- SPL fields the search reads, resolved through the field model (data/fieldmodel)
  SELECT "t"."_time" AS "_time",
         "t"."userIdentity"."sessionContext"."attributes"."mfaAuthenticated" AS "userIdentity.sessionContext.attributes.mfaAuthenticated",
         "t"."_tg_user_4" AS "user",
         "t"."userIdentity"."arn" AS "userIdentity.arn",
         "t"."userIdentity"."type" AS "userIdentity.type",
         "t"."eventName" AS "eventName"
  FROM "f2" AS "t"
)
, "events" AS (
  -- 1. search sourcetype=aws:cloudtrail userIdentity.sessionContext.attributes.mfaAuthenticated=false
  -- 2. search NOT [| inputlookup aws_service_accounts | fields identity | rename identity as user]
  -- 3. stats inputs: by-fields and aggregate arguments
  SELECT "e"."userIdentity.arn" AS "by1",
         "e"."userIdentity.type" AS "by2",
         "e"."user" AS "by3",
         "e"."_time" AS "x1",
         "e"."eventName" AS "x2",
         "e"."eventName" IS NOT NULL AS "x3"
  FROM "ev" AS "e"
  WHERE coalesce(lower("e"."userIdentity.sessionContext.attributes.mfaAuthenticated") = 'false', FALSE)
    AND NOT (EXISTS (SELECT 1 FROM "subsearch_1" WHERE lower("e"."user") LIKE "subsearch_1"."user" ESCAPE '\'))
)
-- 3. stats count, min(_time) as firstTime, max(_time) as lastTime, values(eventName) as eventName by userIdentity.arn, userIdentity.type, user
--    a null by-field drops the row (SPL.md §4.1); the columns are the aggregates' accumulator states
SELECT "by1" AS "userIdentity.arn",
       "by2" AS "userIdentity.type",
       "by3" AS "user",
       count(*) AS "a1_1",
       min("x1") AS "a2_1",
       max("x1") AS "a3_1",
       array_agg(DISTINCT "x2") FILTER (WHERE "x3") AS "a4_1"
FROM "events"
WHERE "by1" IS NOT NULL
  AND "by2" IS NOT NULL
  AND "by3" IS NOT NULL
GROUP BY "by1", "by2", "by3"
-- placement
-- 1. [SQL] search sourcetype=aws:cloudtrail userIdentity.sessionContext.attributes.mfaAuthenticated=false
-- 2. [SQL] search NOT [| inputlookup aws_service_accounts | fields identity | rename identity as user]
-- 3. [SQL] stats count, min(_time) as firstTime, max(_time) as lastTime, values(eventName) as eventName by userIdentit...
-- 4. [Trailguard] convert timeformat=%Y-%m-%dT%H:%M:%S ctime(firstTime)
-- 5. [Trailguard] convert timeformat=%Y-%m-%dT%H:%M:%S ctime(lastTime)
-- 6. [Trailguard] search *
