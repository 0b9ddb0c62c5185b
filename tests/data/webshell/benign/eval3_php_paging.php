<?php
$page = filter_input(INPUT_GET, 'page', FILTER_VALIDATE_INT) ?: 1;
$qs = htmlspecialchars($_SERVER['QUERY_STRING'] ?? '');
printf('<a href="?%s&page=%d">next</a>', $qs, $page + 1);
