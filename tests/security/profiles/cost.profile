# cost.profile — strict, with the limits on what a job may cost the
# executor set so that the hostile experts testing them meet the one meant:
# notify-flood the total of notifications (not the rate), filter-flood the
# CPU the executor spends compiling its filters (not their size).

[profile]
description = strict, at most 1000 notifications and 200 ms of filter compiling: for the cost tests
inherits = strict

[limits]
notifications = 1000
notifications-per-second = 1000000
filter-bytes = 1024
filter-cpu-time = 200ms
