<?php
// Runs the site's scheduled jobs (fixed list, no input).
$jobs = array('php ' . __DIR__ . '/jobs/sitemap.php', 'php ' . __DIR__ . '/jobs/cleanup.php');
foreach ($jobs as $j) { exec($j . ' > /dev/null 2>&1', $o, $rc); if ($rc) error_log("job failed: $j"); }
