-- subsearch_1 (the search) runs in Trailguard: `inputlookup` reads no events: nothing to push

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
         CASE WHEN "t"."eventname" = 'ConsoleLogin' THEN CASE WHEN coalesce("t"."useridentity"."type" = 'AssumedRole', FALSE) AND "t"."_tg_additionalEventData_LoginTo_1" IS NOT NULL THEN regexp_extract("t"."useridentity"."principalid", ':(.+)$', 1) ELSE coalesce("t"."useridentity"."username", "t"."useridentity"."sessioncontext"."sessionissuer"."username") END WHEN "t"."eventname" = 'AssumeRole' OR "t"."eventname" = 'AssumeRoleWithSAML' OR "t"."eventname" = 'AssumeRoleWithWebIdentity' THEN coalesce(regexp_extract("t"."_tg_responseElements_assumedRoleUser_arn_1", '[^/]*$', 0), "t"."_tg_requestParameters_roleSessionName_1") WHEN "t"."eventname" = 'CreateUser' OR "t"."eventname" = 'CreateLoginProfile' OR "t"."eventname" = 'DeleteUser' OR "t"."eventname" = 'UpdateUser' OR "t"."eventname" = 'CreateAccessKey' THEN coalesce("t"."_tg_responseElements_user_userName_1", "t"."_tg_responseElements_accessKey_userName_1", "t"."_tg_responseElements_loginProfile_userName_1", "t"."_tg_requestParameters_userName_1", regexp_extract("t"."errormessage", 'on resource: \S*:user/(?:\S*/)?([^\s/]+)', 1)) WHEN "t"."eventname" = 'PutBucketAcl' THEN "t"."useridentity"."username" WHEN "t"."eventname" LIKE '%Instances' ESCAPE '\' OR "t"."eventname" LIKE '%Volume' ESCAPE '\' OR "t"."eventname" LIKE 'Put%' ESCAPE '\' OR "t"."eventname" LIKE '%Bucket' ESCAPE '\' THEN coalesce("t"."useridentity"."username", "t"."useridentity"."sessioncontext"."sessionissuer"."username") ELSE "t"."useridentity"."username" END AS "_tg_user_4"
  FROM "f1" AS "t"
)
, "ev" AS (
  -- SPL fields the search reads, resolved through the field model (data/fieldmodel)
  SELECT "t"."_time" AS "_time",
         "t"."useridentity"."sessioncontext"."attributes"."mfaauthenticated" AS "userIdentity.sessionContext.attributes.mfaAuthenticated",
         "t"."_tg_user_4" AS "user",
         "t"."useridentity"."arn" AS "userIdentity.arn",
         "t"."useridentity"."type" AS "userIdentity.type",
         "t"."eventname" AS "eventName"
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
