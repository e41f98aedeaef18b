-- subsearch_1 (the search): its rows are passed to the next query as VALUES; Trailguard runs commands 3–10 on its rows
-- Trailguard: SPL compiled to Trino (Athena engine v3) SQL, profile athena-cloudtrail-pp
WITH "src" AS (
  -- the table (profile athena-cloudtrail-pp), pruned to the search window [2026-11-20T11:00:00.000Z, 2026-11-20T12:00:00.000Z)
  SELECT "t".*,
         to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) AS "_time"
  FROM "cloudtrail_logs_pp" AS "t"
  WHERE "t"."timestamp" >= '2026/11/20'
    AND "t"."timestamp" <= '2026/11/21'
    AND to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) IS NOT NULL
    AND to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) >= 1795172400
    AND to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) < 1795176000
)
, "f1" AS (
  -- field-model fields, each computed once (stage by stage as they build on each other)
  SELECT "t".*,
         CASE WHEN json_extract_scalar("t"."responseelements", '$.ConsoleLogin') IS NOT NULL THEN json_extract_scalar("t"."responseelements", '$.ConsoleLogin') WHEN json_format(json_extract("t"."responseelements", '$.ConsoleLogin')) = 'null' THEN 'null' END AS "_tg_responseElements_ConsoleLogin_1",
         CASE WHEN json_extract_scalar("t"."requestparameters", '$.sourceIdentity') IS NOT NULL THEN json_extract_scalar("t"."requestparameters", '$.sourceIdentity') WHEN json_format(json_extract("t"."requestparameters", '$.sourceIdentity')) = 'null' THEN 'null' END AS "_tg_requestParameters_sourceIdentity_1",
         CASE WHEN json_extract_scalar("t"."requestparameters", '$.roleArn') IS NOT NULL THEN json_extract_scalar("t"."requestparameters", '$.roleArn') WHEN json_format(json_extract("t"."requestparameters", '$.roleArn')) = 'null' THEN 'null' END AS "_tg_requestParameters_roleArn_1"
  FROM "src" AS "t"
)
, "f2" AS (
  SELECT "t".*,
         coalesce("t"."errorcode", CASE WHEN coalesce("t"."_tg_responseElements_ConsoleLogin_1" = 'Failure', FALSE) THEN 'failure' ELSE 'success' END) AS "_tg_errorCode_4",
         coalesce("t"."useridentity"."username", "t"."_tg_requestParameters_sourceIdentity_1", "t"."useridentity"."sessioncontext"."sessionissuer"."username", regexp_extract(coalesce("t"."useridentity"."arn", "t"."_tg_requestParameters_roleArn_1"), '[^/]*$', 0)) AS "_tg_userName_4"
  FROM "f1" AS "t"
)
, "ev" AS (
  -- SPL fields the search reads, resolved through the field model (data/fieldmodel)
  SELECT "t"."_time" AS "_time",
         "t"."eventtype" AS "eventType",
         "t"."_tg_errorCode_4" AS "errorCode",
         "t"."useridentity"."type" AS "userIdentity.type",
         "t"."_tg_userName_4" AS "userName",
         "t"."eventname" AS "eventName"
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
-- Trailguard: SPL compiled to Trino (Athena engine v3) SQL, profile athena-cloudtrail-pp
WITH "src" AS (
  -- the table (profile athena-cloudtrail-pp), pruned to the search window [2026-11-20T11:00:00.000Z, 2026-11-20T12:00:00.000Z)
  SELECT "t".*,
         to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) AS "_time"
  FROM "cloudtrail_logs_pp" AS "t"
  WHERE "t"."timestamp" >= '2026/11/20'
    AND "t"."timestamp" <= '2026/11/21'
    AND to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) IS NOT NULL
    AND to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) >= 1795172400
    AND to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) < 1795176000
)
, "f1" AS (
  -- field-model fields, each computed once (stage by stage as they build on each other)
  SELECT "t".*,
         CASE WHEN json_extract_scalar("t"."requestparameters", '$.sourceIdentity') IS NOT NULL THEN json_extract_scalar("t"."requestparameters", '$.sourceIdentity') WHEN json_format(json_extract("t"."requestparameters", '$.sourceIdentity')) = 'null' THEN 'null' END AS "_tg_requestParameters_sourceIdentity_1",
         CASE WHEN json_extract_scalar("t"."requestparameters", '$.roleArn') IS NOT NULL THEN json_extract_scalar("t"."requestparameters", '$.roleArn') WHEN json_format(json_extract("t"."requestparameters", '$.roleArn')) = 'null' THEN 'null' END AS "_tg_requestParameters_roleArn_1",
         CASE WHEN json_extract_scalar("t"."responseelements", '$.ConsoleLogin') IS NOT NULL THEN json_extract_scalar("t"."responseelements", '$.ConsoleLogin') WHEN json_format(json_extract("t"."responseelements", '$.ConsoleLogin')) = 'null' THEN 'null' END AS "_tg_responseElements_ConsoleLogin_1",
         CASE WHEN json_extract_scalar("t"."additionaleventdata", '$.LoginTo') IS NOT NULL THEN json_extract_scalar("t"."additionaleventdata", '$.LoginTo') WHEN json_format(json_extract("t"."additionaleventdata", '$.LoginTo')) = 'null' THEN 'null' END AS "_tg_additionalEventData_LoginTo_1",
         CASE WHEN json_extract_scalar("t"."responseelements", '$.assumedRoleUser.arn') IS NOT NULL THEN json_extract_scalar("t"."responseelements", '$.assumedRoleUser.arn') WHEN json_format(json_extract("t"."responseelements", '$.assumedRoleUser.arn')) = 'null' THEN 'null' END AS "_tg_responseElements_assumedRoleUser_arn_1",
         CASE WHEN json_extract_scalar("t"."requestparameters", '$.roleSessionName') IS NOT NULL THEN json_extract_scalar("t"."requestparameters", '$.roleSessionName') WHEN json_format(json_extract("t"."requestparameters", '$.roleSessionName')) = 'null' THEN 'null' END AS "_tg_requestParameters_roleSessionName_1",
         CASE WHEN json_extract_scalar("t"."responseelements", '$.user.userName') IS NOT NULL THEN json_extract_scalar("t"."responseelements", '$.user.userName') WHEN json_format(json_extract("t"."responseelements", '$.user.userName')) = 'null' THEN 'null' END AS "_tg_responseElements_user_userName_1",
         CASE WHEN json_extract_scalar("t"."responseelements", '$.accessKey.userName') IS NOT NULL THEN json_extract_scalar("t"."responseelements", '$.accessKey.userName') WHEN json_format(json_extract("t"."responseelements", '$.accessKey.userName')) = 'null' THEN 'null' END AS "_tg_responseElements_accessKey_userName_1",
         CASE WHEN json_extract_scalar("t"."responseelements", '$.loginProfile.userName') IS NOT NULL THEN json_extract_scalar("t"."responseelements", '$.loginProfile.userName') WHEN json_format(json_extract("t"."responseelements", '$.loginProfile.userName')) = 'null' THEN 'null' END AS "_tg_responseElements_loginProfile_userName_1",
         CASE WHEN json_extract_scalar("t"."requestparameters", '$.userName') IS NOT NULL THEN json_extract_scalar("t"."requestparameters", '$.userName') WHEN json_format(json_extract("t"."requestparameters", '$.userName')) = 'null' THEN 'null' END AS "_tg_requestParameters_userName_1"
  FROM "src" AS "t"
)
, "f2" AS (
  SELECT "t".*,
         coalesce("t"."useridentity"."username", "t"."_tg_requestParameters_sourceIdentity_1", "t"."useridentity"."sessioncontext"."sessionissuer"."username", regexp_extract(coalesce("t"."useridentity"."arn", "t"."_tg_requestParameters_roleArn_1"), '[^/]*$', 0)) AS "_tg_userName_4",
         coalesce("t"."errorcode", CASE WHEN coalesce("t"."_tg_responseElements_ConsoleLogin_1" = 'Failure', FALSE) THEN 'failure' ELSE 'success' END) AS "_tg_errorCode_4",
         CASE WHEN "t"."eventname" = 'ConsoleLogin' THEN CASE WHEN coalesce("t"."useridentity"."type" = 'AssumedRole', FALSE) AND "t"."_tg_additionalEventData_LoginTo_1" IS NOT NULL THEN regexp_extract("t"."useridentity"."principalid", ':(.+)$', 1) ELSE coalesce("t"."useridentity"."username", "t"."useridentity"."sessioncontext"."sessionissuer"."username") END WHEN "t"."eventname" = 'AssumeRole' OR "t"."eventname" = 'AssumeRoleWithSAML' OR "t"."eventname" = 'AssumeRoleWithWebIdentity' THEN coalesce(regexp_extract("t"."_tg_responseElements_assumedRoleUser_arn_1", '[^/]*$', 0), "t"."_tg_requestParameters_roleSessionName_1") WHEN "t"."eventname" = 'CreateUser' OR "t"."eventname" = 'CreateLoginProfile' OR "t"."eventname" = 'DeleteUser' OR "t"."eventname" = 'UpdateUser' OR "t"."eventname" = 'CreateAccessKey' THEN coalesce("t"."_tg_responseElements_user_userName_1", "t"."_tg_responseElements_accessKey_userName_1", "t"."_tg_responseElements_loginProfile_userName_1", "t"."_tg_requestParameters_userName_1", regexp_extract("t"."errormessage", 'on resource: \S*:user/(?:\S*/)?([^\s/]+)', 1)) WHEN "t"."eventname" = 'PutBucketAcl' THEN "t"."useridentity"."username" WHEN "t"."eventname" LIKE '%Instances' ESCAPE '\' OR "t"."eventname" LIKE '%Volume' ESCAPE '\' OR "t"."eventname" LIKE 'Put%' ESCAPE '\' OR "t"."eventname" LIKE '%Bucket' ESCAPE '\' THEN coalesce("t"."useridentity"."username", "t"."useridentity"."sessioncontext"."sessionissuer"."username") ELSE "t"."useridentity"."username" END AS "_tg_user_4"
  FROM "f1" AS "t"
)
, "ev" AS (
  -- SPL fields the search reads, resolved through the field model (data/fieldmodel)
  SELECT "t"."_time" AS "_time",
         "t"."eventname" AS "eventName",
         "t"."_tg_userName_4" AS "userName",
         "t"."eventtype" AS "eventType",
         "t"."_tg_errorCode_4" AS "errorCode",
         "t"."useridentity"."type" AS "userIdentity.type",
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
