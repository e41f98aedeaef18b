-- subsearch_1 (the search): its rows are passed to the next query as VALUES; Trailguard runs commands 3–10 on its rows
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
         CASE json_type("t"."responseElements", '$.ConsoleLogin') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."responseElements", '$.ConsoleLogin') END AS "_tg_responseElements_ConsoleLogin_1",
         CASE json_type("t"."requestParameters", '$.sourceIdentity') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."requestParameters", '$.sourceIdentity') END AS "_tg_requestParameters_sourceIdentity_1",
         CASE json_type("t"."requestParameters", '$.roleArn') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."requestParameters", '$.roleArn') END AS "_tg_requestParameters_roleArn_1"
  FROM "src" AS "t"
)
, "f2" AS (
  SELECT "t".*,
         coalesce("t"."errorCode", CASE WHEN coalesce("t"."_tg_responseElements_ConsoleLogin_1" = 'Failure', FALSE) THEN 'failure' ELSE 'success' END) AS "_tg_errorCode_4",
         coalesce("t"."userIdentity"."userName", "t"."_tg_requestParameters_sourceIdentity_1", "t"."userIdentity"."sessionContext"."sessionIssuer"."userName", CASE WHEN regexp_matches(coalesce("t"."userIdentity"."arn", "t"."_tg_requestParameters_roleArn_1"), '[^/]*$') THEN regexp_extract(coalesce("t"."userIdentity"."arn", "t"."_tg_requestParameters_roleArn_1"), '[^/]*$', 0) END) AS "_tg_userName_4"
  FROM "f1" AS "t"
)
, "ev" AS (
  -- SPL fields the search reads, resolved through the field model (data/fieldmodel)
  SELECT "t"."_time" AS "_time",
         "t"."eventType" AS "eventType",
         "t"."_tg_errorCode_4" AS "errorCode",
         "t"."userIdentity"."type" AS "userIdentity.type",
         "t"."_tg_userName_4" AS "userName",
         "t"."eventName" AS "eventName"
  FROM "f2" AS "t"
)
, "events" AS (
  -- 1. search sourcetype=aws:cloudtrail eventType=AwsApiCall errorCode=success userIdentity.type=AssumedRole
  -- 2. stats inputs: by-fields and aggregate arguments
  SELECT "e"."userName" AS "by1",
         "e"."eventName" AS "by2",
         "e"."_time" AS "x1",
         "e"."_time" IS NOT NULL AND "e"."_time" IS NOT NULL AS "x2"
  FROM "ev" AS "e"
  WHERE coalesce(lower("e"."eventType") = 'awsapicall', FALSE) AND coalesce(lower("e"."errorCode") = 'success', FALSE) AND coalesce(lower("e"."userIdentity.type") = 'assumedrole', FALSE)
)
-- 2. stats earliest(_time) as earliest, latest(_time) as latest by userName, eventName
--    a null by-field drops the row (SPL.md §4.1); the columns are the aggregates' accumulator states
SELECT "by1" AS "userName",
       "by2" AS "eventName",
       min("x1") FILTER (WHERE "x2") AS "a1_1",
       min("x1") FILTER (WHERE "x2") AS "a1_2",
       max("x1") FILTER (WHERE "x2") AS "a2_1",
       max("x1") FILTER (WHERE "x2") AS "a2_2"
FROM "events"
WHERE "by1" IS NOT NULL
  AND "by2" IS NOT NULL
GROUP BY "by1", "by2"
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
         CASE json_type("t"."requestParameters", '$.sourceIdentity') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."requestParameters", '$.sourceIdentity') END AS "_tg_requestParameters_sourceIdentity_1",
         CASE json_type("t"."requestParameters", '$.roleArn') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."requestParameters", '$.roleArn') END AS "_tg_requestParameters_roleArn_1",
         CASE json_type("t"."responseElements", '$.ConsoleLogin') WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string("t"."responseElements", '$.ConsoleLogin') END AS "_tg_responseElements_ConsoleLogin_1",
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
         coalesce("t"."userIdentity"."userName", "t"."_tg_requestParameters_sourceIdentity_1", "t"."userIdentity"."sessionContext"."sessionIssuer"."userName", CASE WHEN regexp_matches(coalesce("t"."userIdentity"."arn", "t"."_tg_requestParameters_roleArn_1"), '[^/]*$') THEN regexp_extract(coalesce("t"."userIdentity"."arn", "t"."_tg_requestParameters_roleArn_1"), '[^/]*$', 0) END) AS "_tg_userName_4",
         coalesce("t"."errorCode", CASE WHEN coalesce("t"."_tg_responseElements_ConsoleLogin_1" = 'Failure', FALSE) THEN 'failure' ELSE 'success' END) AS "_tg_errorCode_4",
         CASE WHEN "t"."eventName" = 'ConsoleLogin' THEN CASE WHEN coalesce("t"."userIdentity"."type" = 'AssumedRole', FALSE) AND "t"."_tg_additionalEventData_LoginTo_1" IS NOT NULL THEN CASE WHEN regexp_matches("t"."userIdentity"."principalId", ':(.+)$') THEN regexp_extract("t"."userIdentity"."principalId", ':(.+)$', 1) END ELSE coalesce("t"."userIdentity"."userName", "t"."userIdentity"."sessionContext"."sessionIssuer"."userName") END WHEN "t"."eventName" = 'AssumeRole' OR "t"."eventName" = 'AssumeRoleWithSAML' OR "t"."eventName" = 'AssumeRoleWithWebIdentity' THEN coalesce(CASE WHEN regexp_matches("t"."_tg_responseElements_assumedRoleUser_arn_1", '[^/]*$') THEN regexp_extract("t"."_tg_responseElements_assumedRoleUser_arn_1", '[^/]*$', 0) END, "t"."_tg_requestParameters_roleSessionName_1") WHEN "t"."eventName" = 'CreateUser' OR "t"."eventName" = 'CreateLoginProfile' OR "t"."eventName" = 'DeleteUser' OR "t"."eventName" = 'UpdateUser' OR "t"."eventName" = 'CreateAccessKey' THEN coalesce("t"."_tg_responseElements_user_userName_1", "t"."_tg_responseElements_accessKey_userName_1", "t"."_tg_responseElements_loginProfile_userName_1", "t"."_tg_requestParameters_userName_1", CASE WHEN regexp_matches("t"."errorMessage", 'on resource: \S*:user/(?:\S*/)?([^\s/]+)') THEN regexp_extract("t"."errorMessage", 'on resource: \S*:user/(?:\S*/)?([^\s/]+)', 1) END) WHEN "t"."eventName" = 'PutBucketAcl' THEN "t"."userIdentity"."userName" WHEN "t"."eventName" LIKE '%Instances' ESCAPE '\' OR "t"."eventName" LIKE '%Volume' ESCAPE '\' OR "t"."eventName" LIKE 'Put%' ESCAPE '\' OR "t"."eventName" LIKE '%Bucket' ESCAPE '\' THEN coalesce("t"."userIdentity"."userName", "t"."userIdentity"."sessionContext"."sessionIssuer"."userName") ELSE "t"."userIdentity"."userName" END AS "_tg_user_4"
  FROM "f1" AS "t"
)
, "ev" AS (
  -- SPL fields the search reads, resolved through the field model (data/fieldmodel)
  SELECT "t"."_time" AS "_time",
         "t"."eventName" AS "eventName",
         "t"."_tg_userName_4" AS "userName",
         "t"."eventType" AS "eventType",
         "t"."_tg_errorCode_4" AS "errorCode",
         "t"."userIdentity"."type" AS "userIdentity.type",
         "t"."_tg_user_4" AS "user"
  FROM "f2" AS "t"
)
, "events" AS (
  -- 1. search sourcetype=aws:cloudtrail eventType=AwsApiCall errorCode=success userIdentity.type=AssumedRole [search sourcetype=aws:cloudtrail e...
  -- 2. rename userName as user
  -- 3. stats inputs: by-fields and aggregate arguments
  SELECT CASE WHEN "e"."userName" IS NOT NULL THEN "e"."userName" ELSE "e"."user" END AS "by1",
         "e"."eventName" AS "x1",
         "e"."eventName" IS NOT NULL AS "x2",
         "e"."_time" AS "x3",
         "e"."_time" IS NOT NULL AND "e"."_time" IS NOT NULL AS "x4"
  FROM "ev" AS "e"
  WHERE coalesce(lower("e"."eventType") = 'awsapicall', FALSE) AND coalesce(lower("e"."errorCode") = 'success', FALSE) AND coalesce(lower("e"."userIdentity.type") = 'assumedrole', FALSE) AND EXISTS (SELECT 1 FROM "subsearch_1" WHERE lower("e"."eventName") LIKE "subsearch_1"."eventName" ESCAPE '\' AND lower("e"."userName") LIKE "subsearch_1"."userName" ESCAPE '\')
)
-- 3. stats values(eventName), earliest(_time) as earliest, latest(_time) as latest by user
--    a null by-field drops the row (SPL.md §4.1); the columns are the aggregates' accumulator states
SELECT "by1" AS "user",
       array_agg(DISTINCT "x1") FILTER (WHERE "x2") AS "a1_1",
       min("x3") FILTER (WHERE "x4") AS "a2_1",
       min("x3") FILTER (WHERE "x4") AS "a2_2",
       max("x3") FILTER (WHERE "x4") AS "a3_1",
       max("x3") FILTER (WHERE "x4") AS "a3_2"
FROM "events"
WHERE "by1" IS NOT NULL
GROUP BY "by1"
-- placement
-- 1. [SQL] search sourcetype=aws:cloudtrail eventType=AwsApiCall errorCode=success userIdentity.type=AssumedRole [sear...
-- 2. [SQL] rename userName as user
-- 3. [SQL] stats values(eventName), earliest(_time) as earliest, latest(_time) as latest by user
-- 4. [Trailguard] convert timeformat=%Y-%m-%dT%H:%M:%S ctime(earliest)
-- 5. [Trailguard] convert timeformat=%Y-%m-%dT%H:%M:%S ctime(latest)
-- 6. [Trailguard] search *
